using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>Several agents on one location act as one gate: every call works on any agent; only the writer calls Graph.</summary>
public class SharedGateTests
{
    [Test]
    public async Task A_grant_through_each_of_three_agents_reaches_Entra_and_only_one_agent_is_the_writer()
    {
        await using var bed = new SharedBed();
        var agents = new[] { await bed.StartAgentAsync(), await bed.StartAgentAsync(), await bed.StartAgentAsync() };
        var expires = bed.Time.GetUtcNow().AddHours(1);

        var granted = await Task.WhenAll(
            agents[0].GrantAsync("alice", "203.0.113.1", expires),
            agents[1].GrantAsync("bob", "203.0.113.2", expires),
            agents[2].GrantAsync("carol", "198.51.100.3", expires));

        Assert.That(granted.Select(g => g.Network.ToString()), Is.EqualTo(new[] { "203.0.113.1/32", "203.0.113.2/32", "198.51.100.3/32" }));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create(granted.Select(g => g.Network))), "each call returned once Entra held its grant");
        Assert.That(agents.Count(a => a.IsWriter), Is.EqualTo(1));
        Assert.That(await bed.TableAsync(), Is.EqualTo(bed.EntraSet));
    }

    [Test]
    public async Task A_revocation_through_another_agent_leaves_Entra_and_names_who_still_holds_a_shared_address()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync();
        var second = await bed.StartAgentAsync();
        var expires = bed.Time.GetUtcNow().AddHours(1);
        await first.GrantAsync("alice", "203.0.113.9", expires);
        await first.GrantAsync("bob", "203.0.113.9", expires);
        await first.GrantAsync("carol", "203.0.113.10", expires);

        var shared = await second.RevokeAsync("alice");
        var last = await second.RevokeAsync("carol");
        var unknown = await second.RevokeAsync("nobody");

        Assert.Multiple(() =>
        {
            Assert.That(shared.Revoked && !shared.AddressRemoved, Is.True);
            Assert.That(shared.StillGrantedTo, Is.EqualTo(new[] { "bob" }));
            Assert.That(last.AddressRemoved, Is.True);
            Assert.That(unknown, Is.SameAs(RevokeResult.NotFound));
            Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.9/32")])));
        });
    }

    [Test]
    public async Task Flush_and_reconcile_through_any_agent_make_Entra_exactly_the_table()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync();
        var second = await bed.StartAgentAsync();
        var expires = bed.Time.GetUtcNow().AddHours(1);
        await first.GrantAsync("alice", "203.0.113.1", expires);

        var result = await second.ReconcileAsync([
            new("bob", System.Net.IPAddress.Parse("203.0.113.2"), expires),
            new("eve", System.Net.IPAddress.Parse("10.0.0.1"), expires)]);

        Assert.That((result.Added, result.Removed, result.Refused.Single().Error.Code), Is.EqualTo((1, 1, EntraErrorCode.GrantRefused)));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.2/32")])));

        Assert.That(await first.FlushAsync(), Is.EqualTo(1));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([NamedLocationGateOptionsSentinel])));
    }

    [Test]
    public async Task The_capacity_is_checked_against_the_shared_table_whichever_agent_granted()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync(o => o.Gate.MaxRanges = 2);
        var second = await bed.StartAgentAsync(o => o.Gate.MaxRanges = 2);
        var expires = bed.Time.GetUtcNow().AddHours(1);
        await first.GrantAsync("alice", "203.0.113.1", expires);
        await second.GrantAsync("bob", "203.0.113.2", expires);

        var refused = Assert.ThrowsAsync<EntraException>(() => second.GrantAsync("carol", "203.0.113.3", expires));
        await first.GrantAsync("dave", "203.0.113.2", expires); // a shared address needs no room

        Assert.That(refused!.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(await bed.TableAsync(), Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32"), Cidr.Parse("203.0.113.2/32")])));
    }

    [Test]
    public async Task Unsafe_addresses_and_past_expiries_are_refused_before_the_database_and_change_nothing()
    {
        await using var bed = new SharedBed();
        var agent = await bed.StartAgentAsync();

        var privateAddress = Assert.ThrowsAsync<EntraException>(() => agent.GrantAsync("a", "10.1.2.3", bed.Time.GetUtcNow().AddHours(1)));
        var past = Assert.ThrowsAsync<EntraException>(() => agent.GrantAsync("b", "203.0.113.4", bed.Time.GetUtcNow().AddSeconds(-1)));

        Assert.That((privateAddress!.Code, past!.Code), Is.EqualTo((EntraErrorCode.GrantRefused, EntraErrorCode.GrantRefused)));
        Assert.That((await bed.TableAsync()).IsEmpty, Is.True);
    }

    [Test]
    public async Task Expiries_are_applied_by_the_writer_from_the_table_and_the_rows_cleared()
    {
        await using var bed = new SharedBed();
        var writer = await bed.StartAgentAsync();
        var follower = await bed.StartAgentAsync();
        await follower.GrantAsync("short", "203.0.113.5", bed.Time.GetUtcNow().AddMinutes(2));
        await follower.GrantAsync("long", "203.0.113.6", bed.Time.GetUtcNow().AddHours(2));

        bed.Time.Skip(TimeSpan.FromMinutes(3));

        Assert.That(await Eventually.HoldsAsync(() => bed.EntraSet == CidrSet.Create([Cidr.Parse("203.0.113.6/32")])), Is.True);
        Assert.That(await Eventually.HoldsAsync(() => RowCountAsync(bed).Result == 1), Is.True, "the writer cleared the expired row");
    }

    private static readonly Cidr NamedLocationGateOptionsSentinel = NamedLocationGateOptions.DefaultSentinel;

    private static async Task<long> RowCountAsync(SharedBed bed)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT count(*) FROM knocknoc_entra.grants WHERE location_key = @k");
        command.Parameters.AddWithValue("k", bed.Key);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
