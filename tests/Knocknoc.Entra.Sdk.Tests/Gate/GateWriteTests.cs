using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Coalescing and the rate limit (point 5), ownership (6), capacity (7).</summary>
public class GateWriteTests
{
    [Test]
    public async Task A_burst_of_concurrent_grants_within_the_coalescing_window_is_one_write_and_never_meets_a_429()
    {
        // The window is longer than what the bed's clock fires by itself, so it closes when the test says, not when
        // the thread pool happens to run the callers: on a busy machine the burst would otherwise straddle windows.
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.CoalescingWindow = TimeSpan.FromMinutes(1));
        var expiry = bed.Now.AddHours(2);

        var grants = Enumerable.Range(1, 200)
            .Select(i => Task.Run(() => gate.GrantAsync($"user{i}", $"198.51.{100 + (i % 3)}.{i}", expiry)))
            .ToArray();
        Assert.That(await Eventually.HoldsAsync(() => gate.GetState().WaitingCalls == grants.Length, TimeSpan.FromMinutes(1)), Is.True, "every caller reached the gate");
        Assert.That(bed.Patches, Is.Zero, "nothing is written before the window closes");

        bed.Time.Skip(TimeSpan.FromMinutes(1));
        await Task.WhenAll(grants).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create(grants.Select(g => g.Result.Network))));
        Assert.That(bed.Patches, Is.EqualTo(1), "coalesced, not one write per grant");
        Assert.That(bed.Emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Has.None.EqualTo(429));
    }

    [Test]
    public async Task Two_gates_of_one_tenant_share_its_rate_limit()
    {
        await using var bed = new GateTestBed();
        var other = bed.Tenant.AddIpNamedLocation("knocknoc_admins", ["192.0.2.0/32"]);
        var first = await bed.StartGateAsync();
        var second = await bed.StartGateAsync(o => { o.Name = "admins"; o.LocationId = other.Id; });

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => (i % 2 == 0 ? first : second).GrantAsync($"u{i}", $"203.0.113.{i}", bed.Now.AddHours(1))));

        Assert.That(bed.Emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Has.None.EqualTo(429));
        Assert.That(bed.Tenant.FindNamedLocation(other.Id)!.IpRanges, Has.Length.EqualTo(10).And.All.StartWith("203.0.113."));
        Assert.That(bed.Entra, Has.Count.EqualTo(10).And.All.StartWith("203.0.113."));
    }

    [Test]
    public async Task A_location_that_already_holds_the_desired_set_is_not_written()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32"]);
        var gate = await bed.StartGateAsync();
        await gate.CheckDriftAsync();

        Assert.That(bed.Patches, Is.Zero);
    }

    [Test]
    public async Task The_same_set_written_in_another_order_or_split_differently_is_not_rewritten()
    {
        await using var bed = new GateTestBed(initialRanges: ["203.0.113.5/32", "203.0.113.4/32"]);
        var store = bed.Store;
        await store.SaveAsync(new GrantStoreSnapshot
        {
            Grants =
            [
                new("a", Cidr.Parse("203.0.113.4/32"), bed.Now.AddHours(1), bed.Now),
                new("b", Cidr.Parse("203.0.113.5/32"), bed.Now.AddHours(1), bed.Now),
            ],
        });

        var gate = await bed.StartGateAsync();
        await gate.CheckDriftAsync();

        Assert.That(bed.Patches, Is.Zero, "203.0.113.4/31 is the same set as its two halves");
    }

    [Test]
    public async Task Exclusive_ownership_removes_what_the_gate_did_not_grant()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        var gate = await bed.StartGateAsync();

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [Test]
    public async Task Shared_ownership_keeps_others_ranges_and_removes_only_its_own()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "198.51.100.7", bed.Now.AddHours(1));
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "198.51.100.0/24", "203.0.113.7/32" }), "bob's address is already covered by the other range");

        await gate.RevokeAsync("bob");
        await gate.RevokeAsync("alice");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "198.51.100.0/24" }), "the other writer's range survives, and needs no sentinel");
    }

    [Test]
    public async Task Shared_ownership_learns_a_range_another_writer_added_later_and_keeps_it()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.7/32", "198.51.100.0/24"]);
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "198.51.100.0/24" }));
    }

    [Test]
    public async Task A_location_failing_the_name_guard_is_refused_with_ENTRA060()
    {
        await using var bed = new GateTestBed();
        var gate = bed.CreateGate(o => o.NameGuard = LocationNameGuard.Prefix("corp_"));

        var error = Assert.ThrowsAsync<EntraException>(() => gate.StartAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NameGuardMismatch));
        Assert.That(bed.Patches, Is.Zero);
        Assert.That(LocationNameGuard.Prefix("knocknoc_").Allows(bed.Location.DisplayName), Is.True);
    }

    [Test]
    public async Task A_missing_or_country_location_is_refused_with_ENTRA052_or_053()
    {
        await using var bed = new GateTestBed();
        var countries = bed.Tenant.AddCountryNamedLocation("knocknoc_countries", "NZ");

        var missing = Assert.ThrowsAsync<EntraException>(() => bed.CreateGate(o => o.LocationId = Guid.NewGuid().ToString()).StartAsync())!;
        var country = Assert.ThrowsAsync<EntraException>(() => bed.CreateGate(o => o.LocationId = countries.Id).StartAsync())!;

        Assert.That(missing.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(country.Code, Is.EqualTo(EntraErrorCode.NotAnIpNamedLocation));
    }

    [Test]
    public async Task A_location_is_found_by_display_name_and_an_ambiguous_name_is_refused()
    {
        await using var bed = new GateTestBed();
        var byName = await bed.StartGateAsync(o => { o.LocationId = null; o.LocationDisplayName = "knocknoc_vpn"; });
        Assert.That(byName.GetState().LocationId, Is.EqualTo(bed.Location.Id));

        bed.Tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);
        var error = Assert.ThrowsAsync<EntraException>(() => bed.CreateGate(o => { o.LocationId = null; o.LocationDisplayName = "knocknoc_vpn"; }).StartAsync())!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNameAmbiguous));
    }

    [Test]
    public async Task A_grant_that_would_exceed_the_range_cap_is_refused_and_nothing_is_widened()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.MaxRanges = 3);
        var expiry = bed.Now.AddHours(1);
        await gate.GrantAsync("a", "203.0.113.1", expiry);
        await gate.GrantAsync("b", "203.0.113.3", expiry);
        await gate.GrantAsync("c", "203.0.113.5", expiry);
        var patches = bed.Patches;

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("d", "203.0.113.7", expiry))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(bed.Patches, Is.EqualTo(patches));

        // .4 merges with .5 into one /31: still three ranges, so it fits.
        await gate.GrantAsync("e", "203.0.113.4", expiry);
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.1/32", "203.0.113.3/32", "203.0.113.4/31" }));

        // A second holder of a granted address costs nothing, even at the cap.
        await gate.GrantAsync("f", "203.0.113.1", expiry);
        Assert.That(gate.GetState().Grants, Has.Length.EqualTo(5));

        // A grant that moves takes its old address with it: at the cap, it still fits.
        await gate.GrantAsync("b", "203.0.113.9", expiry);
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.1/32", "203.0.113.9/32", "203.0.113.4/31" }));
    }
}
