using System.Text.Json;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Load in emulated time, driven by a clock only the test moves: how many PATCHes a burst costs, and that a long mixed
/// load never writes more often than the rate limit allows nor writes a set Entra already holds. Counts and emulated
/// times are behaviour; nothing here measures the machine.
/// </summary>
public class GateLoadTests
{
    [Test]
    public async Task A_thousand_grants_arriving_within_a_second_reach_Entra_in_at_most_3_PATCHes_within_3_seconds()
    {
        await using var bed = new GateTestBed(new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.Zero });
        var gate = await bed.StartGateAsync();
        await bed.StepAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        var start = bed.Now;
        var before = bed.Patches;
        var calls = new List<Task<DateTimeOffset>>();
        for (var i = 0; i < 1_000; i++)
        {
            calls.Add(GrantAsync(gate, bed, $"user{i}", $"45.{i / 250}.{i % 250}.{(i % 2 == 0 ? 1 : 3)}"));
            await bed.StepAsync(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));
        }

        var all = Task.WhenAll(calls);
        while (!all.IsCompleted && bed.Now - start < TimeSpan.FromSeconds(30))
        {
            await bed.StepAsync(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
        }

        var lastVisible = (await all).Max() - start;
        Assert.That(bed.Patches - before, Is.LessThanOrEqualTo(3));
        Assert.That(lastVisible, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(3)), "emulated time");
        Assert.That(bed.EntraSet.CidrCount, Is.EqualTo(1_000));
    }

    [Test]
    public async Task A_long_mixed_load_writes_no_more_often_than_once_a_second_and_never_an_unchanged_set()
    {
        await using var bed = new GateTestBed(new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.Zero });
        var gate = await bed.StartGateAsync();
        var start = bed.Now;
        var random = new Random(9);
        var calls = new List<Task>();
        for (var i = 0; i < 2_000; i++)
        {
            var id = $"user{random.Next(300)}";
            calls.Add(random.Next(10) < 7
                ? gate.GrantAsync(id, $"45.1.{random.Next(200)}.{random.Next(1, 200)}", bed.Now.AddSeconds(20 + random.Next(100)))
                : gate.RevokeAsync(id));
            await bed.StepAsync(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(60));
        }

        await bed.StepAsync(TimeSpan.FromSeconds(150), TimeSpan.FromMilliseconds(500));
        await Task.WhenAll(calls);

        var patches = bed.Emulator.Journal.Where(e => e.IsGraph && e.Method == "PATCH").ToList();
        var sets = patches.Select(p => Ranges(p.RequestBody!)).ToList();
        var elapsed = bed.Now - start;
        Assert.That(patches, Has.Count.LessThanOrEqualTo((int)elapsed.TotalSeconds));
        Assert.That(sets.Zip(sets.Skip(1)).Count(pair => pair.First.SetEquals(pair.Second)), Is.Zero, "every PATCH changed the set");
        Assert.That(bed.Emulator.Journal.Count(e => e.Status == 429), Is.Zero);
        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }), "every grant has expired or been revoked");
    }

    private static async Task<DateTimeOffset> GrantAsync(Knocknoc.Entra.Sdk.NamedLocationGate gate, GateTestBed bed, string id, string address)
    {
        await gate.GrantAsync(id, address, bed.Now.AddHours(8));
        return bed.Now;
    }

    private static CidrSet Ranges(string body)
    {
        using var json = JsonDocument.Parse(body);
        return CidrSet.Create(json.RootElement.GetProperty("ipRanges").EnumerateArray().Select(r => Cidr.Parse(r.GetProperty("cidrAddress").GetString()!)).ToList());
    }
}
