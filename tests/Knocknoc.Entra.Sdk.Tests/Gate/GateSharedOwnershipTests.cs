using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Shared ownership: others' ranges stay as written, and the gate never takes an entry of its own for another
/// writer's (after a quiet while, a stale read or a restart) nor keeps one of its own that no grant holds any more.
/// </summary>
public class GateSharedOwnershipTests
{
    [Test]
    public async Task Shared_ownership_without_a_store_is_refused_since_a_restart_would_take_its_own_ranges_for_others()
    {
        await using var bed = new GateTestBed();

        var error = Assert.Throws<ArgumentException>(() => bed.CreateGate(o => { o.Ownership = LocationOwnership.Shared; o.Store = null; }))!;

        Assert.That(error.Message, Does.Contain("Shared ownership needs a Store"));
    }

    [Test]
    public async Task Shared_ownership_forgets_its_old_entries_so_another_writer_may_add_the_same_range_later()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "203.0.113.9", bed.Now.AddDays(3));
        await gate.RevokeAsync("alice");

        bed.Time.Skip(TimeSpan.FromDays(1));
        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.9/32", "203.0.113.7/32"]);
        bed.Time.Skip(TimeSpan.FromMinutes(6));
        await gate.CheckDriftAsync();
        await gate.GrantAsync("carol", "198.51.100.1", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.7/32", "203.0.113.9/32", "198.51.100.1/32" }), "a day later, 203.0.113.7 is the other writer's");
    }

    [Test]
    public async Task Shared_ownership_never_takes_a_long_held_grant_of_its_own_for_another_writers()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "198.51.100.200", bed.Now.AddDays(2));

        // A day with no write at all: the memory of sent entries forgets, but alice still holds the address.
        bed.Time.Skip(TimeSpan.FromDays(1));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task Shared_ownership_never_adopts_a_revoked_address_of_its_own_from_a_stale_read()
    {
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(90));
        bed.Time.Advance(TimeSpan.FromMinutes(5));
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        bed.Time.Advance(TimeSpan.FromMinutes(5));
        await gate.RevokeAsync("alice");
        bed.Time.Advance(TimeSpan.FromSeconds(61));
        await gate.CheckDriftAsync();
        Assert.That(gate.GetState().KeptRanges, Does.Not.Contain(Cidr.Parse("203.0.113.7/32")));
        await gate.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(8));
        bed.Time.Advance(TimeSpan.FromMinutes(10));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("bob");
        Assert.That(bed.Entra, Does.Not.Contain("203.0.113.7/32"));
    }

    [Test]
    public async Task Shared_ownership_restarted_at_once_after_a_revocation_never_keeps_the_revoked_address_a_stale_read_shows()
    {
        // Reads lag 20 s behind writes; a new location lags too, so the first start waits that out.
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(20));
        bed.Time.Skip(TimeSpan.FromMinutes(1));
        var first = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await first.GrantAsync("alice", "198.51.100.20", bed.Now.AddHours(8));
        await first.GrantAsync("bob", "198.51.100.21", bed.Now.AddHours(8));
        Assert.That(bed.Entra, Does.Contain("198.51.100.20/31"));

        // A quiet while longer than the memory of sent entries (10 min), then bob's revocation writes .20 alone: the
        // version before it (.20/31) was sent long ago, but reads show it for another 20 s.
        bed.Time.Skip(TimeSpan.FromMinutes(11));
        await first.RevokeAsync("bob");
        await first.DisposeAsync();
        Assert.That(bed.Entra, Does.Not.Contain("198.51.100.20/31"));

        // The host restarts at once: its start reads the location inside the window and sees .20/31 again.
        var second = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        Assert.That(second.GetState().KeptRanges, Is.Empty, "the gate's own earlier entry is not another writer's");

        await second.RevokeAsync("alice");
        Assert.That(bed.EntraSet.Contains(IPAddress.Parse("198.51.100.21")), Is.False, string.Join(", ", bed.Entra));
        Assert.That(bed.EntraSet.Contains(IPAddress.Parse("198.51.100.20")), Is.False, string.Join(", ", bed.Entra));
    }

    [Test]
    public async Task Shared_ownership_after_a_restart_never_takes_a_still_granted_range_of_its_own_for_another_writers()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        var first = await StoreLackingAStillGrantedRangeAsync(bed);

        // Reads are trusted again: the restarted gate classes what it reads, with no memory of sending 203.0.113.7.
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        var second = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        Assert.That(second.GetState().KeptRanges, Is.EqualTo(new[] { Cidr.Parse("198.51.100.0/24") }), "alice's address is the gate's own");

        await second.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "198.51.100.0/24" }), "the last grant holding the address ended; the other writer's range stays");
    }

    [Test]
    public async Task Shared_ownership_after_a_restart_removes_its_own_range_whose_grant_expired_while_the_host_was_down()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        await StoreLackingAStillGrantedRangeAsync(bed);

        // alice's grant (8 h) ends while no gate runs.
        bed.Time.Skip(TimeSpan.FromHours(9));
        var second = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);

        Assert.That(second.GetState().KeptRanges, Is.EqualTo(new[] { Cidr.Parse("198.51.100.0/24") }), "the expired grant's address was the gate's own");
        Assert.That(await bed.EntraBecomesAsync("198.51.100.0/24"), Is.True, string.Join(", ", bed.Entra));
    }

    /// <summary>
    /// A shared gate whose store holds alice's grant of 203.0.113.7 but not that address among its owned or written
    /// ranges: two grants share it (a NAT address), bob's revocation saves the store with no write, and the store is
    /// one an earlier version wrote (its memory of sent entries forgot the address after a quiet while, and it kept
    /// no list of confirmed entries). The gate is disposed.
    /// </summary>
    private static async Task<NamedLocationGate> StoreLackingAStillGrantedRangeAsync(GateTestBed bed)
    {
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await gate.GrantAsync("bob", "203.0.113.7", bed.Now.AddHours(8));
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "198.51.100.0/24", "203.0.113.7/32" }));

        // Beyond the memory of sent entries (10 min) with no write: the drift check forgets 203.0.113.7 as sent.
        bed.Time.Skip(TimeSpan.FromMinutes(11));
        await gate.CheckDriftAsync();
        var patches = bed.Patches;
        await gate.RevokeAsync("bob");
        await gate.DisposeAsync();

        Assert.That(bed.Patches, Is.EqualTo(patches), "bob leaving changed nothing in Entra");
        Assert.That(bed.Store.Snapshot.Grants.Select(g => g.GrantId), Is.EqualTo(new[] { "alice" }));
        Assert.That(bed.Store.Snapshot.WrittenRanges, Does.Contain(Cidr.Parse("203.0.113.7/32")), "the last confirmed write held the address");
        await bed.Store.SaveAsync(bed.Store.Snapshot with { OwnedRanges = [], WrittenRanges = [] });
        return gate;
    }
}
