using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A seeded random walk of grants, revocations, expiries, reconciliations, flushes, restarts and Graph faults,
/// checked against a naive model: at the end Entra holds exactly the model's addresses, nothing wider, and the
/// writes kept within the tenant's rate limit.
/// </summary>
public class GateModelTests
{
    private static readonly string[] Addresses =
    [
        // Neighbours (merge into /31s and /30s), a shared NAT address, a far one, and IPv6.
        "203.0.113.4", "203.0.113.5", "203.0.113.6", "203.0.113.7", "203.0.113.9",
        "198.51.100.20", "198.51.100.21", "198.51.100.200",
        "2001:db8::1", "2001:db8::2", "2001:db8:5::77",
    ];

    private static readonly EmulatedFault[] Faults =
    [
        EmulatedFault.ServiceUnavailable, EmulatedFault.GatewayTimeout, EmulatedFault.TooManyRequests,
        EmulatedFault.ConnectionReset, EmulatedFault.ResponseLost, EmulatedFault.TruncatedJson,
    ];

    [TestCase(1, 1500, false)]
    [TestCase(2, 1500, false)]
    [TestCase(3, 1500, false)]
    [TestCase(4, 1500, true)]
    [TestCase(5, 1500, true)]
    public async Task Entra_ends_equal_to_the_model_after_a_random_walk(int seed, int steps, bool shared)
    {
        var random = new Random(seed);
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(20));
        var start = bed.Now;
        var model = new Dictionary<string, (string Address, DateTimeOffset ExpiresAt)>();
        var ownership = shared ? LocationOwnership.Shared : LocationOwnership.Exclusive;
        var othersRange = Cidr.Parse("198.51.100.99/32");
        var othersWrote = false;
        var injected429s = 0;
        var gate = await StartAsync(bed, random, ownership);
        var counts = new Dictionary<string, int>();

        for (var step = 0; step < steps; step++)
        {
            var roll = random.Next(100);
            var kind = roll switch
            {
                < 40 => "grant",
                < 60 => "revoke",
                < 75 => "time",
                < 80 => "reconcile",
                < 82 => "flush",
                < 86 => "restart",
                < 92 => "fault",
                _ => "drift",
            };
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            try
            {
                switch (kind)
                {
                    case "grant":
                        var id = $"user{random.Next(25)}";
                        var address = Addresses[random.Next(Addresses.Length)];
                        var expiresAt = bed.Now.AddMinutes(1 + random.Next(180));
                        model[id] = (address, expiresAt);
                        await gate.GrantAsync(id, address, expiresAt);
                        break;
                    case "revoke":
                        var revoked = $"user{random.Next(25)}";
                        model.Remove(revoked);
                        var result = await gate.RevokeAsync(revoked);
                        if (result.Network is { } network)
                        {
                            // The result is the truth: never "removed" while Entra holds the address, and only the
                            // model's other holders of that address are named as keeping it.
                            Assert.That(!result.AddressRemoved || !bed.EntraSet.Overlaps(network), Is.True, $"step {step}: {revoked} reported removed, Entra {string.Join(", ", bed.Entra)}");
                            Assert.That(result.StillGrantedTo.All(holder => model.TryGetValue(holder, out var held) && Cidr.Host(IPAddress.Parse(held.Address)) == network), Is.True, $"step {step}: {result}");
                        }

                        break;
                    case "time":
                        bed.Time.Skip(TimeSpan.FromMinutes(random.Next(60)));
                        break;
                    case "reconcile":
                        Expire(model, bed.Now);
                        var truth = model.Where(_ => random.Next(3) > 0).ToDictionary(p => p.Key, p => p.Value);
                        truth[$"user{random.Next(25)}"] = (Addresses[random.Next(Addresses.Length)], bed.Now.AddMinutes(5 + random.Next(60)));
                        model.Clear();
                        foreach (var (key, value) in truth)
                        {
                            model[key] = value;
                        }

                        await gate.ReconcileAsync(truth.Select(p => new GrantRequest(p.Key, IPAddress.Parse(p.Value.Address), p.Value.ExpiresAt)));
                        break;
                    case "flush":
                        model.Clear();
                        await gate.FlushAsync();
                        break;
                    case "restart":
                        await gate.DisposeAsync();
                        gate = await StartAsync(bed, random, ownership);
                        break;
                    case "fault":
                        var fault = Faults[random.Next(Faults.Length)];
                        var times = 1 + random.Next(5);
                        injected429s += fault == EmulatedFault.TooManyRequests ? times : 0;
                        bed.Emulator.FailNext(fault, times);
                        break;
                    case "drift":
                        // Another writer replaces the list: under shared ownership its range stays for good.
                        othersWrote = true;
                        bed.Tenant.SetIpRanges(bed.Location.Id, [othersRange.ToString()]);
                        bed.Time.Skip(TimeSpan.FromMinutes(6));
                        break;
                }
            }
            catch (EntraException error) when (error.Code != EntraErrorCode.GrantRefused && error.Code != EntraErrorCode.CapacityExceeded)
            {
                // A failed write: the change is kept and retried; the model already holds it.
            }
        }

        // Let Graph recover and the gate settle, then compare with what the model says must be in Entra now.
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 0);
        bed.Time.Skip(TimeSpan.FromMinutes(3));
        var check = gate.CheckDriftAsync();
        while (await Task.WhenAny(check, Task.Delay(5)) != check)
        {
            // A write still backing off (or a late-write check) comes first: time passes for it, as for a host.
            bed.Time.Skip(TimeSpan.FromSeconds(1));
        }

        await check;
        var settled = await Eventually.HoldsAsync(() => Settled(gate));
        Expire(model, bed.Now);
        var granted = CidrSet.Create(model.Values.Select(v => Cidr.Host(IPAddress.Parse(v.Address))));
        var others = shared && othersWrote ? CidrSet.Create(othersRange) : CidrSet.Empty;
        var expected = granted.IsEmpty && others.IsEmpty ? CidrSet.Create(Cidr.Parse("192.0.2.0/32")) : granted.Union(others);

        Assert.That(settled, Is.True, $"the gate settles; steps {string.Join(", ", counts)}");
        Assert.That(bed.EntraSet, Is.EqualTo(expected), $"Entra {string.Join(", ", bed.Entra)}; model {string.Join(", ", model.Select(m => m.Key + "=" + m.Value.Address))}");
        Assert.That(bed.Entra.Select(Cidr.Parse).All(c => expected.Contains(c)), Is.True, "nothing wider than granted");

        var elapsedSeconds = (bed.Now - start).TotalSeconds;
        var patches = bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH");
        Assert.That(patches, Is.LessThanOrEqualTo(elapsedSeconds), "no more writes than emulated seconds");
        // The emulator answers 429 to any request less than 1 s after the one before (measured when it arrives);
        // every 429 beyond the injected ones would be the SDK breaking the limit.
        Assert.That(bed.Emulator.Journal.Count(e => e.IsGraph && e.Status == 429), Is.LessThanOrEqualTo(injected429s), () => "the SDK itself never breaks the 1 request/s limit; Graph requests around each 429:\n" + Around429s(bed));
    }

    /// <summary>Each 429 with the two Graph requests before it (time, method, status, response), to tell an injected one from the SDK's own.</summary>
    private static string Around429s(GateTestBed bed)
    {
        var graph = bed.Emulator.Journal.Where(e => e.IsGraph).ToList();
        var lines = new List<string>();
        for (var i = 0; i < graph.Count; i++)
        {
            if (graph[i].Status == 429)
            {
                lines.AddRange(graph.Skip(Math.Max(0, i - 2)).Take(Math.Min(i, 2) + 1)
                    .Select(e => $"{e.Time:HH:mm:ss.fff} {e.Method} {e.Status} {e.ResponseBody?[..Math.Min(e.ResponseBody.Length, 80)]}"));
                lines.Add("--");
            }
        }

        return string.Join("\n", lines);
    }

    private static async Task<NamedLocationGate> StartAsync(GateTestBed bed, Random random, LocationOwnership ownership)
    {
        var gate = bed.CreateGate(o => { o.Random = new Random(random.Next()); o.Ownership = ownership; });
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await bed.LiveThroughStartAsync(() => gate.StartAsync());
                return gate;
            }
            catch (EntraException) when (attempt < 20)
            {
                // Faults queued for the next requests can fail a start: it is simply tried again.
            }
        }
    }

    private static void Expire(Dictionary<string, (string Address, DateTimeOffset ExpiresAt)> model, DateTimeOffset now)
    {
        foreach (var id in model.Where(p => p.Value.ExpiresAt <= now).Select(p => p.Key).ToList())
        {
            model.Remove(id);
        }
    }

    private static bool Settled(NamedLocationGate gate)
    {
        var state = gate.GetState();
        return state.WaitingCalls == 0 && state.Pending is { } pending && pending.Added.IsEmpty && pending.Removed.IsEmpty;
    }
}
