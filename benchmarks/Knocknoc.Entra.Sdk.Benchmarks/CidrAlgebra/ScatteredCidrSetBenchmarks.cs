using BenchmarkDotNet.Attributes;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// The unkind case for the algebra: a million hosts scattered over the whole IPv4 space (10% IPv6),
/// so almost nothing merges and every range survives into the diff.
/// </summary>
[MemoryDiagnoser]
public class ScatteredCidrSetBenchmarks
{
    private Cidr[] _old = [];
    private Cidr[] _new = [];
    private CidrSet _oldSet = CidrSet.Empty;
    private CidrSet _newSet = CidrSet.Empty;

    /// <summary>Entries per list.</summary>
    [Params(1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _old = new Cidr[N];
        for (var i = 0; i < N; i++)
        {
            _old[i] = NextHost(random);
        }

        _new = [.. _old.Where(_ => random.NextDouble() >= 0.05)];
        _new = [.. _new, .. Enumerable.Range(0, N - _new.Length).Select(_ => NextHost(random))];
        _oldSet = CidrSet.Create(_old);
        _newSet = CidrSet.Create(_new);
    }

    /// <summary>Aggregate both lists.</summary>
    [Benchmark]
    public (CidrSet Old, CidrSet New) AggregateBoth() => (CidrSet.Create(_old), CidrSet.Create(_new));

    /// <summary>Diff the two built sets.</summary>
    [Benchmark]
    public CidrSetDiff Diff() => CidrSet.Diff(_oldSet, _newSet);

    private static Cidr NextHost(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return random.NextDouble() < 0.9
            ? Cidr.Host(new System.Net.IPAddress(bytes[..4]))
            : Cidr.Host(new System.Net.IPAddress(bytes));
    }
}
