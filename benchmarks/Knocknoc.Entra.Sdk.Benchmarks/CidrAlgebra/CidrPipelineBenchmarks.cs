using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// The phases as the side-by-side comparison with other tools times them (benchmarks/compare-cidr-tools.py):
/// both lists each time, from UTF-8 lines, to minimal CIDR lists; and a file of lines to a set, as a user runs it.
/// </summary>
[MemoryDiagnoser]
public class CidrPipelineBenchmarks
{
    private byte[] _oldText = [];
    private byte[] _newText = [];
    private Cidr[] _oldCidrs = [];
    private Cidr[] _newCidrs = [];
    private Cidr[] _output = [];
    private string _file = string.Empty;

    /// <summary>Entries per list: Entra's cap, and two sizes far beyond it.</summary>
    [Params(2_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lists = RealisticCidrLists.Generate(N, seed: 42);
        _oldText = Encoding.UTF8.GetBytes(string.Join('\n', lists.OldLines) + "\n");
        _newText = Encoding.UTF8.GetBytes(string.Join('\n', lists.NewLines) + "\n");
        (_oldCidrs, _newCidrs) = (lists.OldCidrs, lists.NewCidrs);
        _output = new Cidr[N];
        _file = Path.Combine(Path.GetTempPath(), $"cidr-pipeline-{N}.txt");
        File.WriteAllBytes(_file, _oldText);
        Console.WriteLine($"// {N:N0} lines: {_oldText.Length:N0} bytes a list");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_file);

    /// <summary>Parse both lists from UTF-8 lines to values (<see cref="Cidr.ParseLines"/>).</summary>
    [Benchmark]
    public int ParseBoth() => CidrPhases.ParseLines(_oldText, _output) + CidrPhases.ParseLines(_newText, _output);

    /// <summary>The same, splitting the text into lines and reading each with <see cref="Cidr.Parse(ReadOnlySpan{byte})"/>.</summary>
    [Benchmark]
    public int ParseBothLineByLine() => CidrPhases.ParseLineByLine(_oldText, _output) + CidrPhases.ParseLineByLine(_newText, _output);

    /// <summary>Aggregate both lists of values to minimal CIDR lists.</summary>
    [Benchmark]
    public (ImmutableArray<Cidr> Old, ImmutableArray<Cidr> New) AggregateBoth() =>
        (CidrPhases.Aggregate(_oldCidrs), CidrPhases.Aggregate(_newCidrs));

    /// <summary>Added and removed as minimal CIDR lists, from both lists of values (sets built inside).</summary>
    [Benchmark]
    public (ImmutableArray<Cidr> Added, ImmutableArray<Cidr> Removed) DiffFromValues() => CidrPhases.Diff(_oldCidrs, _newCidrs);

    /// <summary>A UTF-8 file of N lines to a set, read in 64 KB chunks.</summary>
    [Benchmark]
    public CidrSet FileToSet() => CidrPhases.FileToSet(_file);
}
