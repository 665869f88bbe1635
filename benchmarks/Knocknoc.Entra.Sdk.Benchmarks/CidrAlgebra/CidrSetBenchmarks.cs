using System.Text;
using BenchmarkDotNet.Attributes;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// The three steps of comparing a named location's list with the desired one: parse the text,
/// aggregate both lists into sets, diff the sets. Compare with firehol's iprange on the same shapes.
/// </summary>
[MemoryDiagnoser]
public class CidrSetBenchmarks
{
    private RealisticCidrLists _lists = null!;
    private byte[] _utf8 = [];
    private Cidr[] _parsed = [];
    private CidrSet _oldSet = CidrSet.Empty;
    private CidrSet _newSet = CidrSet.Empty;

    /// <summary>Entries per list: Entra's cap, and two sizes far beyond it.</summary>
    [Params(2_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _lists = RealisticCidrLists.Generate(N, seed: 42);
        _utf8 = Encoding.UTF8.GetBytes(string.Join('\n', _lists.OldLines));
        _parsed = new Cidr[N];
        _oldSet = CidrSet.Create(_lists.OldCidrs);
        _newSet = CidrSet.Create(_lists.NewCidrs);
    }

    /// <summary>Parse one list of N strings.</summary>
    [Benchmark]
    public Cidr[] Parse()
    {
        var lines = _lists.OldLines;
        for (var i = 0; i < lines.Length; i++)
        {
            _parsed[i] = Cidr.Parse(lines[i]);
        }

        return _parsed;
    }

    /// <summary>Parse one list from a UTF-8 buffer of newline-separated entries, as a file is read.</summary>
    [Benchmark]
    public int ParseUtf8Lines()
    {
        var rest = _utf8.AsSpan();
        var count = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            _parsed[count++] = Cidr.Parse(line);
            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return count;
    }

    /// <summary>Aggregate both lists (old and new) into normalised sets.</summary>
    [Benchmark]
    public (CidrSet Old, CidrSet New) AggregateBoth() =>
        (CidrSet.Create(_lists.OldCidrs), CidrSet.Create(_lists.NewCidrs));

    /// <summary>What to add and remove between two built sets.</summary>
    [Benchmark]
    public CidrSetDiff Diff() => CidrSet.Diff(_oldSet, _newSet);

    /// <summary>The minimal exact cover of a built set: what would be written to the location.</summary>
    [Benchmark]
    public int Cover() => _newSet.ToCidrs().Length;
}
