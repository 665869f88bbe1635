using System.Globalization;
using System.Net;
using System.Text.Json;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Benchmarks.Gate;

/// <summary>
/// Whole-gate scenarios against the in-process emulator with its 1 request/s limit on, in emulated time: how many
/// PATCHes a workload costs and how soon it is visible. Plus what an active grant costs in memory. Counts and
/// emulated times are exact for a seed; memory is measured with full garbage collections around the fill.
/// </summary>
internal static partial class GateScenarios
{
    /// <summary>Runs the named scenarios (memory, burst, mixed, sessions), or all of them.</summary>
    public static async Task RunAsync(IReadOnlyCollection<string> only)
    {
        // Memory first, before the other scenarios leave anything for the collector.
        if (only.Count == 0 || only.Contains("memory"))
        {
            await MemoryAsync(grants: 100_000);
        }

        if (only.Count == 0 || only.Contains("burst"))
        {
            await BurstAsync(grants: 1_000, over: TimeSpan.FromSeconds(1));
        }

        if (only.Count == 0 || only.Contains("mixed"))
        {
            await MixedAsync(operations: 10_000, over: TimeSpan.FromMinutes(10));
        }

        if (only.Count == 0 || only.Contains("sessions"))
        {
            await SessionsAsync(users: 250, grantsPerUser: 4);
        }
    }

    /// <summary>Grants arriving within <paramref name="over"/>: PATCHes used and when the last one was visible.</summary>
    private static async Task BurstAsync(int grants, TimeSpan over)
    {
        await using var world = new EmulatedWorld();
        var gate = await world.StartGateAsync();

        // An idle gate, as when a morning's sign-ins begin: the start's read is long past.
        await world.StepAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        var start = world.Clock.GetUtcNow();
        var before = world.Patches;
        var random = new Random(1);
        var calls = new List<Task<DateTimeOffset>>(grants);
        var step = over / grants;
        for (var i = 0; i < grants; i++)
        {
            calls.Add(GrantAndTimeAsync(gate, world.Clock, $"user{i}", GateWriteBenchmarks.ScatteredPublicAddress(random), start.AddHours(8)));
            await world.StepAsync(step);
        }

        var all = Task.WhenAll(calls);
        while (!all.IsCompleted)
        {
            await world.StepAsync(TimeSpan.FromMilliseconds(10));
        }

        var visible = (await all).Max() - start;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"burst: {grants} grants over {over.TotalSeconds:0.#} s -> {world.Patches - before} PATCHes, all visible {visible.TotalSeconds:0.000} s after the first (emulated), 429s: {world.Throttled}"));
    }

    /// <summary>Mixed grants, moves, revocations and expiries spread over <paramref name="over"/>: PATCHes against elapsed seconds, and whether any was a no-op.</summary>
    private static async Task MixedAsync(int operations, TimeSpan over)
    {
        await using var world = new EmulatedWorld();
        var gate = await world.StartGateAsync();
        var start = world.Clock.GetUtcNow();
        var before = world.Patches;
        var random = new Random(2);
        var pool = Enumerable.Range(0, 1_200).Select(_ => GateWriteBenchmarks.ScatteredPublicAddress(random)).ToArray();
        var calls = new List<Task>(operations);
        var step = over / operations;
        int grants = 0, revokes = 0;
        for (var i = 0; i < operations; i++)
        {
            var id = $"user{random.Next(1_500)}";
            if (random.Next(10) < 7)
            {
                grants++;
                calls.Add(gate.GrantAsync(id, pool[random.Next(pool.Length)], world.Clock.GetUtcNow().AddSeconds(30 + random.Next(270))));
            }
            else
            {
                revokes++;
                calls.Add(gate.RevokeAsync(id));
            }

            await world.StepAsync(step, resolution: step);
        }

        // Let the last calls settle and the last expiries fall due and be written.
        var all = Task.WhenAll(calls);
        for (var i = 0; i < 6_000 && !(all.IsCompleted && gate.GetState() is { Grants.IsEmpty: true, Pending: { Added.IsEmpty: true, Removed.IsEmpty: true } }); i++)
        {
            await world.StepAsync(TimeSpan.FromMilliseconds(50));
        }

        await all;

        var elapsed = world.Clock.GetUtcNow() - start;
        var bodies = world.PatchBodies().Skip(before).ToList();
        var unchanged = bodies.Zip(bodies.Skip(1)).Count(pair => pair.First.SetEquals(pair.Second));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mixed: {operations} operations ({grants} grants, {revokes} revocations, expiries 30-300 s) over {over.TotalMinutes:0} min -> {bodies.Count} PATCHes in {elapsed.TotalSeconds:0} emulated s, {unchanged} wrote an unchanged set, 429s: {world.Throttled}"));
    }

    /// <summary>Bytes retained per active grant: the gate's table, expiry queue and store snapshot, ids excluded and included.</summary>
    private static async Task MemoryAsync(int grants)
    {
        var ids = Enumerable.Range(0, grants).Select(i => $"user-{i:000000}").ToArray();
        var expiry = DateTimeOffset.UtcNow.AddDays(1);
        var client = new NoWireClient();
        var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = NoWireClient.LocationId, DriftCheckInterval = Timeout.InfiniteTimeSpan }, client);
        await gate.StartAsync();
        var baseline = SettledHeap();

        // Consecutive addresses merge into a few ranges, so 100,000 grants fit the 2,000-range cap.
        var first = BitConverter.ToUInt32(IPAddress.Parse("45.0.0.0").GetAddressBytes().Reverse().ToArray());
        for (var batch = 0; batch < grants; batch += 1_000)
        {
            await Task.WhenAll(Enumerable.Range(batch, Math.Min(1_000, grants - batch)).Select(i =>
                gate.GrantAsync(ids[i], new IPAddress(BitConverter.GetBytes(first + (uint)i).Reverse().ToArray()), expiry)));
        }

        var filled = SettledHeap();
        var idBytes = ids.Sum(id => 22L + (2L * id.Length));
        var perGrant = (double)(filled - baseline) / grants;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: {grants} active grants retain {perGrant:0} bytes each beyond the ids the host already holds ({(filled - baseline + idBytes) / (double)grants:0} with the id strings counted too); {client.Writes} writes; {gate.GetState().GrantedRanges.Length} ranges"));
        GC.KeepAlive(ids);
        await gate.DisposeAsync();
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<DateTimeOffset> GrantAndTimeAsync(NamedLocationGate gate, TimeProvider clock, string id, IPAddress address, DateTimeOffset expiry)
    {
        await gate.GrantAsync(id, address, expiry);
        return clock.GetUtcNow();
    }

    /// <summary>An emulated tenant with one location, a gate's options, and what the emulator saw.</summary>
    private sealed class EmulatedWorld : IAsyncDisposable
    {
        private readonly List<NamedLocationGate> _gates = [];

        public EmulatedWorld()
        {
            Emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = Clock, Seed = 1 });
            Tenant = Emulator.AddTenant();
            var tenant = Tenant;
            var app = tenant.AddApplication(GraphPermissions.All | GraphPermissions.UserRevokeSessionsAll);
            var location = tenant.AddIpNamedLocation("knocknoc_bench", ["192.0.2.0/32"]);
            Options = new NamedLocationGateOptions
            {
                LocationId = location.Id,
                Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
                Cloud = EntraEmulator.Cloud,
                Transport = Emulator.CreateHandler(),
                TimeProvider = Clock,
                Random = new Random(4),
                Resilience = { Random = new Random(5) },
            };
        }

        // No timer fires on its own: the driver moves time in small steps and lets the gate catch up after each,
        // so emulated time passes for the gate exactly as for the callers. A gate that lagged behind a step would
        // only look slower, never faster.
        public AutoAdvancingTimeProvider Clock { get; } = new() { AutoFireBelow = TimeSpan.Zero };

        public EntraEmulator Emulator { get; }

        public EmulatedTenant Tenant { get; }

        public NamedLocationGateOptions Options { get; }

        /// <summary>Moves emulated time on by <paramref name="by"/> in steps of at most <paramref name="resolution"/> (10 ms by default), letting the gate run after each.</summary>
        public async Task StepAsync(TimeSpan by, TimeSpan? resolution = null)
        {
            var step = resolution ?? TimeSpan.FromMilliseconds(10);
            for (var moved = TimeSpan.Zero; moved < by; moved += step)
            {
                Clock.Skip(by - moved < step ? by - moved : step);
                await Task.Delay(1);
            }
        }

        public int Patches => Emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH");

        public int Throttled => Emulator.Journal.Count(e => e.Status == 429);

        public async Task<NamedLocationGate> StartGateAsync()
        {
            var gate = NamedLocationGate.Create(Options);
            _gates.Add(gate);
            await gate.StartAsync();
            return gate;
        }

        public IEnumerable<CidrSet> PatchBodies() =>
            Emulator.Journal.Where(e => e.IsGraph && e.Method == "PATCH" && e.Status == 204).Select(e =>
            {
                using var body = JsonDocument.Parse(e.RequestBody!);
                return CidrSet.Create(body.RootElement.GetProperty("ipRanges").EnumerateArray().Select(r => Cidr.Parse(r.GetProperty("cidrAddress").GetString()!)).ToList());
            });

        public async ValueTask DisposeAsync()
        {
            foreach (var gate in _gates)
            {
                await gate.DisposeAsync();
            }
        }
    }
}
