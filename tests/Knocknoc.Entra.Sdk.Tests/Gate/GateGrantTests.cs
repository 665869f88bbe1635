using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Grants, shared addresses, expiry, address safety and what is written (points 1-4).</summary>
public class GateGrantTests
{
    [Test]
    public async Task A_grant_completes_when_its_address_is_in_Entra_and_a_revoke_when_it_is_gone()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        var grant = await gate.GrantAsync("alice", IPAddress.Parse("203.0.113.7"), bed.Now.AddHours(8));
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(grant.Network.ToString(), Is.EqualTo("203.0.113.7/32"));

        var revoked = await gate.RevokeAsync("alice");
        Assert.That(revoked.Revoked, Is.True);
        Assert.That(revoked.AddressRemoved, Is.True);
        Assert.That(revoked.Network, Is.EqualTo(Cidr.Parse("203.0.113.7/32")));
        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }), "the sentinel keeps the location from being empty");
        Assert.That(await gate.RevokeAsync("alice"), Is.SameAs(RevokeResult.NotFound), "revoking what is gone is a no-op");
    }

    [Test]
    public async Task Revoking_one_user_behind_a_shared_address_keeps_the_colleagues_access()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "198.51.100.20", bed.Now.AddHours(8));
        await gate.GrantAsync("bob", "198.51.100.20", bed.Now.AddHours(8));

        var first = await gate.RevokeAsync("alice");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "198.51.100.20/32" }), "bob still holds it");
        Assert.That(first.AddressRemoved, Is.False, "the caller is told the address stays");
        Assert.That(first.StillGrantedTo, Is.EqualTo(new[] { "bob" }));
        Assert.That(first.StillAllowedBy, Is.Empty);

        var last = await gate.RevokeAsync("bob");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }), "the last one out turns off the lights");
        Assert.That(last.AddressRemoved, Is.True);
        Assert.That(last.StillGrantedTo, Is.Empty);
    }

    [Test]
    public async Task Granting_the_same_id_again_moves_it_and_keeps_when_it_was_first_granted()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var first = await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        bed.Time.Advance(TimeSpan.FromMinutes(1));

        var moved = await gate.GrantAsync("alice", "203.0.113.99", first.ExpiresAt);

        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.99/32" }));
        Assert.That(moved.GrantedAt, Is.EqualTo(first.GrantedAt));
        Assert.That(gate.GetState().Grants, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Granting_exactly_what_is_granted_sends_nothing()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var expiry = bed.Now.AddHours(8);
        await gate.GrantAsync("alice", "203.0.113.7", expiry);
        var patches = bed.Patches;

        await gate.GrantAsync("alice", "203.0.113.7", expiry);
        await gate.GrantAsync("bob", "203.0.113.7", expiry);

        Assert.That(bed.Patches, Is.EqualTo(patches), "a second holder of a written address changes nothing in Entra");
    }

    [Test]
    public async Task A_grant_expires_at_its_expiry_without_any_call()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(2));

        bed.Time.Skip(TimeSpan.FromHours(1));
        Assert.That(await bed.EntraBecomesAsync("203.0.113.8/32"), Is.True, string.Join(", ", bed.Entra));

        bed.Time.Skip(TimeSpan.FromHours(1));
        Assert.That(await bed.EntraBecomesAsync("192.0.2.0/32"), Is.True, string.Join(", ", bed.Entra));
        Assert.That(bed.Logs.Entries.Count(e => e.EventId.Id == 1103), Is.EqualTo(2), "an audit event per expiry");
    }

    [Test]
    public async Task An_expiry_is_on_time_when_the_clock_passes_it_while_the_gate_arms_its_timer()
    {
        await using var bed = new GateTestBed();
        // With drift checks a day apart, the only timer near an hour is the loop's sleep until the expiry.
        var clock = new LateArmingClock(bed.Time, from: TimeSpan.FromMinutes(50), to: TimeSpan.FromMinutes(61));
        var gate = await bed.StartGateAsync(o => { o.TimeProvider = clock; o.DriftCheckInterval = TimeSpan.FromDays(1); });

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        Assert.That(await bed.EntraBecomesAsync("192.0.2.0/32"), Is.True, string.Join(", ", bed.Entra));
        Assert.That(clock.ArmedLate, Is.EqualTo(1), "the gate slept towards the expiry");
    }

    [Test]
    public async Task Expiries_missed_while_the_host_was_down_are_applied_at_start()
    {
        await using var bed = new GateTestBed();
        var first = await bed.StartGateAsync();
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await first.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(5));
        await first.DisposeAsync();

        bed.Time.Advance(TimeSpan.FromHours(2));
        var second = await bed.StartGateAsync();

        Assert.That(await bed.EntraBecomesAsync("203.0.113.8/32"), Is.True, string.Join(", ", bed.Entra));
        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "bob" }));
    }

    [TestCase("10.1.2.3")]
    [TestCase("192.168.0.10")]
    [TestCase("100.64.0.1")]
    [TestCase("127.0.0.1")]
    [TestCase("169.254.1.1")]
    [TestCase("224.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("0.0.0.0")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fd00::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("192.0.2.0")]
    [TestCase("0.0.0.0/0")]
    [TestCase("1.2.3.4/8")]
    [TestCase("not an address")]
    public async Task Unsafe_or_malformed_addresses_are_refused_with_ENTRA059_and_change_nothing(string address)
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        var patches = bed.Patches;

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("mallory", address, bed.Now.AddHours(1)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(bed.Patches, Is.EqualTo(patches));
        Assert.That(gate.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public async Task A_past_expiry_is_refused()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", bed.Now))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(gate.GetState().Grants, Is.Empty);
    }

    [Test]
    public async Task An_IPv4_mapped_address_is_granted_as_IPv4_and_IPv6_hosts_as_128()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        await gate.GrantAsync("alice", IPAddress.Parse("::ffff:203.0.113.7"), bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "2001:db8:1:2::abcd", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.7/32", "2001:db8:1:2::abcd/128" }));
    }

    [Test]
    public async Task An_option_widens_IPv6_grants_to_their_64_for_privacy_addresses()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges, ipv6GrantPrefixLength: 64));

        await gate.GrantAsync("alice", "2001:db8:1:2::abcd", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "2001:db8:1:2::1", bed.Now.AddHours(1));
        await gate.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "2001:db8:1:2::/64" }), "bob still holds the same /64");
    }

    [Test]
    public async Task A_named_private_range_can_be_allowed()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.AddressPolicy = new GrantAddressPolicy([Cidr.Parse("10.20.0.0/16")]));

        await gate.GrantAsync("alice", "10.20.3.4", bed.Now.AddHours(1));
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("bob", "10.21.3.4", bed.Now.AddHours(1)))!;

        Assert.That(bed.Entra, Is.EqualTo(new[] { "10.20.3.4/32" }));
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
    }

    [Test]
    public async Task Adjacent_hosts_merge_only_when_every_address_is_granted()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var expiry = bed.Now.AddHours(1);

        await gate.GrantAsync("a", "203.0.113.4", expiry);
        await gate.GrantAsync("b", "203.0.113.5", expiry);
        await gate.GrantAsync("c", "203.0.113.6", expiry);
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.4/31", "203.0.113.6/32" }), "never widened to .4/30");

        await gate.GrantAsync("d", "203.0.113.7", expiry);
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.4/30" }));

        var state = gate.GetState();
        Assert.That(state.Grants.Select(g => g.Network.ToString()), Has.None.EqualTo("192.0.2.0/32"), "the sentinel is never a grant");
    }

    [Test]
    public async Task Flush_ends_every_grant_and_leaves_the_sentinel()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("a", "203.0.113.4", bed.Now.AddHours(1));
        await gate.GrantAsync("b", "2001:db8::1", bed.Now.AddHours(1));

        Assert.That(await gate.FlushAsync(), Is.EqualTo(2));

        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }));
        Assert.That(gate.GetState().Grants, Is.Empty);
    }

    [Test]
    public async Task A_configured_sentinel_is_written_when_nothing_is_granted()
    {
        await using var bed = new GateTestBed();
        await bed.StartGateAsync(o => o.Sentinel = Cidr.Parse("198.51.100.255/32"));

        Assert.That(await bed.EntraBecomesAsync("198.51.100.255/32"), Is.True, "the start writes its own sentinel over the old one");
    }

    [TestCase("8.8.8.8/32")]
    [TestCase("192.0.2.0/24")]
    [TestCase("0.0.0.0/0")]
    public async Task A_sentinel_that_someone_could_hold_is_refused(string sentinel)
    {
        await using var bed = new GateTestBed();

        var error = Assert.Throws<ArgumentException>(() => bed.CreateGate(o => o.Sentinel = Cidr.Parse(sentinel)))!;

        Assert.That(error.Message, Does.Contain("Sentinel must be a single address no user can have"));
    }

    [Test]
    public async Task Reconcile_makes_the_grants_exactly_the_hosts_list_and_reports_what_it_refused()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("stale", "203.0.113.1", bed.Now.AddHours(1));
        await gate.GrantAsync("kept", "203.0.113.2", bed.Now.AddHours(1));
        var patches = bed.Patches;

        var result = await gate.ReconcileAsync(
        [
            new("kept", IPAddress.Parse("203.0.113.2"), gate.GetState().Grants.Single(g => g.Id == "kept").ExpiresAt),
            new("new", IPAddress.Parse("198.51.100.9"), bed.Now.AddHours(1)),
            new("private", IPAddress.Parse("10.0.0.1"), bed.Now.AddHours(1)),
            new("expired", IPAddress.Parse("198.51.100.10"), bed.Now.AddHours(-1)),
        ]);

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.2/32", "198.51.100.9/32" }));
        Assert.That((result.Added, result.Updated, result.Unchanged, result.Removed), Is.EqualTo((1, 0, 1, 1)));
        Assert.That(result.Refused.Select(r => r.Request.GrantId), Is.EquivalentTo(new[] { "private", "expired" }));
        Assert.That(bed.Patches, Is.EqualTo(patches + 1), "one write for the whole reconciliation");
    }
}
