using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// The range cap: it admits grants (a grant or move that would exceed it is refused), never holds a revocation
/// back, counts others' ranges, and nothing beyond Graph's 2,000 entries is ever sent (the list grants less instead).
/// </summary>
public class GateCapacityTests
{
    [Test]
    public async Task A_revocation_that_splits_a_range_beyond_the_cap_is_still_written()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.MaxRanges = 2);
        foreach (var host in new[] { 0, 1, 2, 3, 5 })
        {
            await gate.GrantAsync($"g{host}", $"203.0.113.{host}", bed.Now.AddHours(8));
        }

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.0/30", "203.0.113.5/32" }));

        await gate.RevokeAsync("g1");

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.0/32", "203.0.113.2/31", "203.0.113.5/32" }), "the cap admits grants; it never holds a revocation back");
        Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("g9", "203.0.113.9", bed.Now.AddHours(8)), "over the cap, no new range is admitted");
    }

    [Test]
    public async Task A_grant_moving_onto_a_shared_address_is_checked_against_the_cap_too()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.MaxRanges = 2);
        foreach (var host in new[] { 0, 1, 2, 3, 5 })
        {
            await gate.GrantAsync($"g{host}", $"203.0.113.{host}", bed.Now.AddHours(8));
        }

        // g0 leaving .0 for .1 (which g1 holds) splits 203.0.113.0/30 into three ranges.
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("g0", "203.0.113.1", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(gate.GetState().Grants.Single(g => g.Id == "g0").Network, Is.EqualTo(Cidr.Parse("203.0.113.0/32")), "nothing changed");
    }

    [Test]
    public async Task Others_ranges_count_against_the_cap_and_nothing_above_it_is_ever_sent()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => { o.Ownership = LocationOwnership.Shared; o.MaxRanges = 3; });
        await gate.GrantAsync("a", "203.0.113.1", bed.Now.AddHours(8));
        await gate.GrantAsync("b", "203.0.113.3", bed.Now.AddHours(8));
        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.1/32", "203.0.113.3/32", "198.51.100.0/24", "198.51.102.0/24"]);
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("a");
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("a", "203.0.113.1", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(bed.Entra, Has.Count.LessThanOrEqualTo(3));
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "198.51.100.0/24", "198.51.102.0/24" }), "the other writer's ranges stay as written");
    }

    [Test]
    public async Task Beyond_Graphs_2000_ranges_a_revoked_address_still_leaves_and_grants_are_left_out_instead()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var random = new Random(3);
        var scattered = Enumerable.Range(0, 1_999)
            .Select(i => new GrantRequest($"s{i}", IPAddress.Parse($"45.{i / 200}.{i % 200}.{1 + (2 * random.Next(100))}"), bed.Now.AddHours(8)))
            .DistinctBy(r => r.Address)
            .ToList();
        var block = Enumerable.Range(0, 256).Select(i => new GrantRequest($"b{i}", IPAddress.Parse($"198.51.100.{i}"), bed.Now.AddHours(8)));
        await gate.ReconcileAsync([.. scattered, .. block]);
        var before = bed.EntraSet;

        await gate.RevokeAsync("b77");

        Assert.That(bed.Entra, Has.Count.EqualTo(2_000));
        Assert.That(bed.EntraSet.Contains(Cidr.Parse("198.51.100.77/32")), Is.False, "the revoked address left");
        Assert.That(bed.EntraSet.IsSubsetOf(before), Is.True, "nothing wider was written: fail closed");
        Assert.That(gate.GetState().LastError?.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
    }
}
