using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A seeded random walk of grants, revocations, expiries, Graph faults, store write failures, crashes (right after a
/// save, before its PATCH, or between calls), clean restarts and damaged stores at start. The invariants are checked
/// against what Entra really holds after every step, not only at the end.
/// </summary>
public class GateDurabilityModelTests
{
    private static readonly string[] Addresses = ["203.0.113.4", "203.0.113.5", "203.0.113.6", "198.51.100.20", "2001:db8::1", "2001:db8::2"];
    private static readonly Cidr Sentinel = Cidr.Parse("192.0.2.0/32");

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public async Task No_step_of_a_random_walk_with_failing_stores_and_crashes_breaks_an_invariant(int seed)
    {
        const int Steps = 500;
        var random = new Random(seed);
        await using var bed = new GateTestBed();
        var model = new Dictionary<string, (string Address, DateTimeOffset ExpiresAt)>();

        // Addresses whose grant ended in a call that failed: Entra may still hold them until a later write succeeds.
        var limbo = new HashSet<string>();
        var preserved = new HashSet<string>();
        var doubtful = new Dictionary<string, (string Address, DateTimeOffset ExpiresAt)>();
        var universe = CidrSet.Create(Addresses.Select(Host).Append(Sentinel));
        var node = await Node.StartAsync(bed, GrantStoreSnapshot.Empty, random, damaged: false);
        var counts = new Dictionary<string, int>();
        var trace = new List<string>();

        // A store damaged now, or damaged before and not rewritten by a save since, loads damaged: a damaged store keeps
        // whatever the location holds until the host reconciles (or a grant of that address ends), so every address in
        // Entra now may stay.
        async Task<Node> RestartAsync(bool crash, bool damage)
        {
            var damaged = damage || node.Store.IsDamaged;
            if (damaged)
            {
                preserved.UnionWith(Addresses.Where(a => bed.EntraSet.Contains(Host(a))));
            }

            return await node.RestartAsync(bed, random, crash, damaged);
        }

        for (var step = 0; step < Steps; step++)
        {
            var kind = random.Next(100) switch
            {
                < 35 => "grant",
                < 55 => "revoke",
                < 63 => "time",
                < 72 => "store-fails",
                < 78 => "store-heals",
                < 84 => "fault",
                < 89 => "crash-after-save",
                < 93 => "crash",
                < 97 => "restart",
                _ => "damaged-restart",
            };
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            var context = $"seed {seed}, step {step} ({kind}); steps so far {string.Join(", ", counts)}; last steps:\n" + string.Join("\n", trace.TakeLast(14));
            switch (kind)
            {
                case "grant":
                {
                    var id = $"user{random.Next(8)}";
                    var address = Addresses[random.Next(Addresses.Length)];
                    var expiresAt = bed.Now.AddMinutes(1 + random.Next(120));
                    var prior = model.TryGetValue(id, out var p) ? p : ((string, DateTimeOffset)?)null;
                    model[id] = (address, expiresAt);
                    var outcome = await node.CallAsync(g => g.GrantAsync(id, address, expiresAt));
                    Expire(model, bed.Now, limbo, preserved);
                    trace.Add($"{step}: grant {id} {address} -> {outcome?.CodeText ?? "ok"}");
                    if (outcome is EntraException { Code: EntraErrorCode.GrantStoreUnwritable or EntraErrorCode.GrantRefused or EntraErrorCode.CapacityExceeded })
                    {
                        // Not durable, so undone, or refused before anything changed (the clock passed the expiry while
                        // the call waited its turn): the id holds what it held before the call.
                        Restore(model, id, prior, limbo, address);
                    }
                    else if (outcome is not null && prior is { } moved && moved.Item1 != address)
                    {
                        // The move is kept and retried, but its write failed: until one lands, Entra may still hold
                        // the address the grant moved from.
                        limbo.Add(moved.Item1);
                    }
                    else if (outcome is null)
                    {
                        Assert.That(expiresAt <= bed.Now || node.Store.Saved!.Grants.Any(g => g.GrantId == id && g.ExpiresAt.ToUnixTimeMilliseconds() == expiresAt.ToUnixTimeMilliseconds()), Is.True, "an acknowledged grant is durable: " + context);
                    }

                    break;
                }

                case "revoke":
                {
                    var id = $"user{random.Next(8)}";
                    var existed = model.Remove(id, out var gone);
                    if (existed)
                    {
                        limbo.Add(gone.Address);
                        preserved.Remove(gone.Address);
                    }

                    var outcome = await node.CallAsync(g => g.RevokeAsync(id));
                    Expire(model, bed.Now, limbo, preserved);
                    trace.Add($"{step}: revoke {id} ({(existed ? gone.Address : "none")}) -> {outcome?.CodeText ?? "ok"}");
                    if (outcome is not null && existed)
                    {
                        // Failed in the store and maybe in Graph: a restart before either recovers may still hold it,
                        // and the caller, told of the failure, revokes again.
                        doubtful[id] = gone;
                    }
                    else if (outcome is null)
                    {
                        doubtful.Remove(id);
                        // (An expired record may linger until the loop's next save: a restart ends it at once.)
                        Assert.That(node.Store.Saved!.Grants.Any(g => g.GrantId == id && g.ExpiresAt > bed.Now), Is.False, "an acknowledged revocation is durable: " + context);
                    }

                    break;
                }

                case "time":
                    bed.Time.Skip(TimeSpan.FromMinutes(random.Next(1, 40)));
                    await Task.Delay(1);
                    Expire(model, bed.Now, limbo, preserved);
                    break;
                case "store-fails":
                    node.Store.Throw = true;
                    break;
                case "store-heals":
                    node.Store.Throw = false;
                    break;
                case "fault":
                    bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 1 + random.Next(4));
                    break;
                case "crash-after-save":
                {
                    // The process dies right after its next save, before the PATCH: the change is durable, unacknowledged.
                    node.CrashAfterNextSave();
                    var id = $"user{random.Next(8)}";
                    var address = Addresses[random.Next(Addresses.Length)];
                    var expiresAt = bed.Now.AddMinutes(1 + random.Next(120));
                    var prior = model.TryGetValue(id, out var p) ? p : ((string, DateTimeOffset)?)null;
                    model[id] = (address, expiresAt);
                    await node.CallAsync(g => g.GrantAsync(id, address, expiresAt));
                    if (!node.Store.Saved!.Grants.Any(g => g.GrantId == id && g.Network == Host(address) && g.ExpiresAt.ToUnixTimeMilliseconds() == expiresAt.ToUnixTimeMilliseconds()))
                    {
                        // It died before saving this change (a failing store, nothing to write, or a save of the loop's
                        // own that came first): it never happened.
                        Restore(model, id, prior, limbo, address);
                    }
                    else if (prior is { } moved)
                    {
                        // Durable but never written: the address it moved from stays until the restarted gate writes.
                        limbo.Add(moved.Item1);
                    }

                    node = await RestartAsync(crash: true, damage: false);
                    break;
                }

                case "crash":
                    node = await RestartAsync(crash: true, damage: false);
                    break;
                case "restart":
                    node = await RestartAsync(crash: false, damage: false);
                    break;
                case "damaged-restart":
                    node = await RestartAsync(crash: true, damage: true);
                    break;
            }

            if (kind is not "grant" and not "revoke")
            {
                trace.Add($"{step}: {kind}");
            }

            if (kind is "crash" or "crash-after-save" or "restart" or "damaged-restart")
            {
                // A restart takes Entra's removals: whatever the model holds that the restarted gate does not, it lost
                // only because Entra lacked it at the start. Never the other way: nothing comes back.
                var held = node.Gate.GetState().Grants.ToDictionary(g => g.Id);
                foreach (var (id, grant) in doubtful)
                {
                    if (held.TryGetValue(id, out var back) && back.Network == Host(grant.Address) && !model.ContainsKey(id))
                    {
                        // The failed revocation did not survive the restart; the host repeats it. A grant that ends
                        // takes its address out of what a damaged store preserved.
                        model[id] = grant;
                        await node.CallAsync(g => g.RevokeAsync(id));
                        model.Remove(id);
                        held.Remove(id);
                        limbo.Add(grant.Address);
                        preserved.Remove(grant.Address);
                    }
                    else if (!held.ContainsKey(id) && grant.ExpiresAt <= bed.Now)
                    {
                        // Still stored, it expired while the process was down: ended at the start, as any expiry.
                        preserved.Remove(grant.Address);
                    }
                }

                doubtful.Clear();
                foreach (var id in model.Keys.ToList())
                {
                    if (!held.ContainsKey(id))
                    {
                        if (model[id].ExpiresAt <= bed.Now)
                        {
                            preserved.Remove(model[id].Address);
                        }

                        limbo.Add(model[id].Address);
                        model.Remove(id);
                    }
                }

                foreach (var grant in held.Values)
                {
                    Assert.That(model.TryGetValue(grant.Id, out var m) && Host(m.Address) == grant.Network, Is.True, $"a restart brought back {grant.Id} ({grant.Network}, expiring {grant.ExpiresAt:O}, now {bed.Now:O}), which the model ended: {context}");
                }
            }

            trace.Add($"   entra [{string.Join(" ", bed.Entra)}] model [{string.Join(" ", model.Select(m => m.Key + "=" + m.Value.Address))}] limbo [{string.Join(" ", limbo)}] preserved [{string.Join(" ", preserved)}] store-fails {node.Store.Throw}");
            context = $"seed {seed}, step {step} ({kind}); steps so far {string.Join(", ", counts)}; last steps:\n" + string.Join("\n", trace.TakeLast(16));
            CheckInvariants(bed, model, limbo.Concat(preserved).ToHashSet(), universe, node, context);

            // Once gone from Entra, an ended grant's address must never come back without a new grant.
            limbo.RemoveWhere(address => !bed.EntraSet.Contains(Host(address)));
        }

        // Heal everything and let the gate settle (queued faults run out as the clock moves): Entra then holds exactly
        // the model.
        node.Store.Throw = false;
        EntraException? settled;
        var rounds = 0;
        do
        {
            bed.Time.Skip(TimeSpan.FromMinutes(3));
            settled = await node.CallAsync(g => g.CheckDriftAsync());
        }
        while (settled is not null && ++rounds < 20);

        Assert.That(settled, Is.Null, $"seed {seed}: the gate settles once Graph and the store are healthy");
        Expire(model, bed.Now, limbo, preserved);
        var expected = CidrSet.Create(model.Values.Select(v => Host(v.Address)).Concat(preserved.Select(Host)));
        Assert.That(bed.EntraSet, Is.EqualTo(expected.IsEmpty ? CidrSet.Create(Sentinel) : expected), $"seed {seed}: Entra {string.Join(", ", bed.Entra)}; gate [{string.Join(" ", node.Gate.GetState().Grants.Select(g => g.Id + "=" + g.Network))}] kept [{string.Join(" ", node.Gate.GetState().KeptRanges)}]; steps {string.Join(", ", counts)}; last steps:\n" + string.Join("\n", trace.TakeLast(30)));
        TestContext.Out.WriteLine($"seed {seed}: {Steps} steps, {string.Join(", ", counts)}");
    }

    private static void CheckInvariants(GateTestBed bed, Dictionary<string, (string Address, DateTimeOffset ExpiresAt)> model, HashSet<string> limbo, CidrSet universe, Node node, string context)
    {
        var entra = bed.EntraSet;
        Assert.That(entra.Except(universe).IsEmpty, Is.True, $"nothing wider or foreign in Entra: {string.Join(", ", bed.Entra)}; {context}");
        Assert.That(bed.Entra, Is.Not.Empty, "never an empty list: " + context);
        var allowed = model.Values.Select(v => v.Address).Concat(limbo).ToHashSet();
        foreach (var address in Addresses)
        {
            if (entra.Contains(Host(address)))
            {
                Assert.That(allowed, Does.Contain(address), $"{address} is in Entra with no live grant and no failed call that could leave it there: {context}");
            }
        }
    }

    private static Cidr Host(string address) => Cidr.Parse(address + (address.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"));

    private static void Restore(Dictionary<string, (string Address, DateTimeOffset ExpiresAt)> model, string id, (string, DateTimeOffset)? prior, HashSet<string> limbo, string address)
    {
        limbo.Add(address);
        if (prior is { } before)
        {
            model[id] = before;
        }
        else
        {
            model.Remove(id);
        }
    }

    private static void Expire(Dictionary<string, (string Address, DateTimeOffset ExpiresAt)> model, DateTimeOffset now, HashSet<string> limbo, HashSet<string>? preserved = null)
    {
        foreach (var (id, grant) in model.Where(p => p.Value.ExpiresAt <= now).ToList())
        {
            model.Remove(id);
            limbo.Add(grant.Address);
            preserved?.Remove(grant.Address);
        }
    }

    /// <summary>One process: a gate, its store and its transport; a crash freezes both, so nothing it does lands later.</summary>
    private sealed class Node
    {
        private readonly CrashSwitch _switch;

        private readonly AutoAdvancingTimeProvider _time;

        private Node(NamedLocationGate gate, CrashableStore store, CrashSwitch crashSwitch, AutoAdvancingTimeProvider time)
        {
            _time = time;
            Gate = gate;
            Store = store;
            _switch = crashSwitch;
        }

        public NamedLocationGate Gate { get; }

        public CrashableStore Store { get; }

        public static async Task<Node> StartAsync(GateTestBed bed, GrantStoreSnapshot saved, Random random, bool damaged)
        {
            var crashSwitch = new CrashSwitch();
            var store = new CrashableStore(saved, crashSwitch, damaged);
            for (var attempt = 0; ; attempt++)
            {
                // Not tracked by the bed: a crashed gate is never disposed, as a dead process is not.
                var gate = NamedLocationGate.Create(bed.Options(o =>
                {
                    o.Store = store;
                    o.Random = new Random(random.Next());
                    // The bed's instant network, as every gate test's: however busy the machine, the clock moving
                    // while a request is carried never makes the emulator stamp it later than the gate sent it. Its
                    // one line also settles a request racing the crash before the next process is served.
                    o.Transport = bed.Network.Carry(new CrashingHandler(crashSwitch) { InnerHandler = bed.Emulator.CreateHandler() });
                }));
                try
                {
                    var starting = gate.StartAsync();
                    await ProgressAsync(starting, Task.Delay(Timeout.Infinite), bed.Time);
                    await starting;
                    return new Node(gate, store, crashSwitch, bed.Time);
                }
                catch (EntraException) when (attempt < 20)
                {
                    // A fault queued for the next requests can fail a start: the host tries again.
                    await gate.DisposeAsync();
                }
            }
        }

        public void CrashAfterNextSave() => Store.CrashAfterNextSave = true;

        /// <summary>Waits for <paramref name="work"/>, moving the clock on while it waits, as time would; false when <paramref name="crashed"/> came first.</summary>
        private static async Task<bool> ProgressAsync(Task work, Task crashed, AutoAdvancingTimeProvider time)
        {
            while (!work.IsCompleted)
            {
                if (await Task.WhenAny(work, crashed, Task.Delay(20)) == crashed)
                {
                    return false;
                }

                if (!work.IsCompleted)
                {
                    time.Skip(TimeSpan.FromSeconds(10));
                }
            }

            return true;
        }

        /// <summary>
        /// Runs a call; returns null on success (or when the process died under it), or its typed failure. A call
        /// waiting behind a retry that the fake clock does not fire by itself moves the clock on, as time would.
        /// </summary>
        public async Task<EntraException?> CallAsync(Func<NamedLocationGate, Task> call)
        {
            var running = call(Gate);
            if (!await ProgressAsync(running, _switch.Crashed, _time))
            {
                return null;
            }

            try
            {
                await running;
                return null;
            }
            catch (EntraException error)
            {
                return error;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        }

        public async Task<Node> RestartAsync(GateTestBed bed, Random random, bool crash, bool damaged)
        {
            if (crash)
            {
                _switch.Crash();
            }
            else
            {
                // Disposal finishes the write in flight, which may sit in a retry delay the clock does not fire by itself.
                await ProgressAsync(Gate.DisposeAsync().AsTask(), Task.Delay(Timeout.Infinite), _time);
            }

            return await StartAsync(bed, Store.Saved ?? GrantStoreSnapshot.Empty, random, damaged);
        }
    }

    private sealed class CrashSwitch
    {
        private readonly TaskCompletionSource _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Crashed => _crashed.Task;

        public bool IsCrashed => _crashed.Task.IsCompleted;

        public void Crash() => _crashed.TrySetResult();
    }

    /// <summary>
    /// A store whose saves fail on demand, that stops for good (never answering again) when its process dies, and that
    /// stays damaged, as a damaged file does, until a save rewrites it.
    /// </summary>
    private sealed class CrashableStore(GrantStoreSnapshot saved, CrashSwitch crashSwitch, bool damaged) : IGrantStore
    {
        public GrantStoreSnapshot? Saved { get; private set; } = saved;

        public bool IsDamaged { get; private set; } = damaged;

        public bool Throw { get; set; }

        public bool CrashAfterNextSave { get; set; }

        public Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new GrantStoreLoadResult(Saved ?? GrantStoreSnapshot.Empty, IsDamaged ? ["line 3: checksum mismatch"] : []));

        public async Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default)
        {
            if (crashSwitch.IsCrashed)
            {
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
            }

            if (Throw)
            {
                throw new IOException("No space left on device");
            }

            Saved = snapshot;
            IsDamaged = false;
            if (CrashAfterNextSave)
            {
                crashSwitch.Crash();
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// After the crash no request of this process reaches Graph again. It fails at once rather than hanging: the
    /// tenant's pacing is shared by every gate of this test process, and a dead process holds no turn.
    /// </summary>
    private sealed class CrashingHandler(CrashSwitch crashSwitch) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            crashSwitch.IsCrashed
                ? throw new HttpRequestException("the process is dead", null, System.Net.HttpStatusCode.ServiceUnavailable)
                : base.SendAsync(request, cancellationToken);
    }
}
