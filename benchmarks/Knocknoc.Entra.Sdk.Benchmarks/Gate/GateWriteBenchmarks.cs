using System.Net;
using BenchmarkDotNet.Attributes;

namespace Knocknoc.Entra.Sdk.Benchmarks.Gate;

/// <summary>
/// The gate's CPU per PATCH, without I/O: a location of 2,000 scattered ranges, and one grant that moves between two
/// addresses, so every call changes the set and costs exactly one write (composing the cover, diffing, saving the
/// in-memory store snapshot, settling the waiting call).
/// </summary>
[MemoryDiagnoser]
public class GateWriteBenchmarks
{
    private NamedLocationGate _gate = null!;
    private NoWireClient _client = null!;
    private IPAddress[] _moves = [];
    private DateTimeOffset _expiry;
    private int _next;

    /// <summary>Ranges in the location.</summary>
    [Params(2_000)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = new NoWireClient();
        _gate = NamedLocationGate.Create(
            new NamedLocationGateOptions
            {
                LocationId = NoWireClient.LocationId,
                CoalescingWindow = TimeSpan.Zero,
                DriftCheckInterval = Timeout.InfiniteTimeSpan,
            },
            _client);
        _expiry = DateTimeOffset.UtcNow.AddDays(1);
        var random = new Random(3);
        var requests = Enumerable.Range(0, Ranges - 1)
            .Select(i => new GrantRequest($"user{i}", ScatteredPublicAddress(random), _expiry))
            .ToList();
        _gate.ReconcileAsync(requests).GetAwaiter().GetResult();
        _moves = [ScatteredPublicAddress(random), ScatteredPublicAddress(random)];
    }

    [GlobalCleanup]
    public void Cleanup() => _gate.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>One grant moved: one PATCH of 2,000 ranges.</summary>
    [Benchmark]
    public Task<Grant> MoveOneGrant() => _gate.GrantAsync("mover", _moves[_next++ & 1], _expiry);

    // Hosts in 45.0.0.0/8 and up, odd last octet: public, and never adjacent to one another.
    internal static IPAddress ScatteredPublicAddress(Random random) =>
        new([(byte)(45 + random.Next(50)), (byte)random.Next(256), (byte)random.Next(256), (byte)((random.Next(127) * 2) + 1)]);
}
