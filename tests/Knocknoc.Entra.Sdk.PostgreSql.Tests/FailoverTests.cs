using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>The writer dies or is cut off; another agent takes over, converges Entra to the table, and repairs late writes.</summary>
public class FailoverTests
{
    [Test]
    public async Task When_the_writer_is_killed_another_agent_takes_over_and_nothing_granted_is_lost()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync();
        var second = await bed.StartAgentAsync();
        var expires = bed.Time.GetUtcNow().AddHours(1);
        await second.GrantAsync("alice", "203.0.113.1", expires);
        var writer = await bed.WriterAsync();
        var generation = writer.WriterGeneration!.Value;

        await bed.KillAsync(writer);
        var survivor = writer == first ? second : first;
        await survivor.GrantAsync("bob", "203.0.113.2", expires);
        await survivor.RevokeAsync("alice");

        Assert.That(survivor.IsWriter, Is.True);
        Assert.That(survivor.WriterGeneration, Is.GreaterThan(generation), "the takeover bumped the fencing generation");
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.2/32")])));
    }

    [Test]
    public async Task A_late_write_of_the_dead_writer_is_undone_after_the_late_write_window()
    {
        await using var bed = new SharedBed();
        var window = TimeSpan.FromMinutes(3); // emulated: nothing moves the clock that far but the test
        var first = await bed.StartAgentAsync(o => o.LateWriteWindow = window);
        var expires = bed.Time.GetUtcNow().AddHours(3);
        await first.GrantAsync("alice", "203.0.113.1", expires);
        await first.GrantAsync("bob", "203.0.113.2", expires);
        var second = await bed.StartAgentAsync(o => o.LateWriteWindow = window);
        await bed.KillAsync(first);
        await second.RevokeAsync("bob"); // waits for the takeover

        // The dead writer's PATCH, held in the network, lands now: it still held bob's address and not alice's.
        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.2/32"]);
        bed.Time.Skip(window);

        Assert.That(await Eventually.HoldsAsync(() => bed.EntraSet == CidrSet.Create([Cidr.Parse("203.0.113.1/32")]), TimeSpan.FromSeconds(30)), Is.True,
            "the new writer read the location after the window and repaired it");
    }

    [Test]
    public async Task A_gracefully_stopped_writer_gives_its_lease_up_and_the_next_agent_writes()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync(o => o.LeaseDuration = TimeSpan.FromMinutes(10));
        var second = await bed.StartAgentAsync(o => o.LeaseDuration = TimeSpan.FromMinutes(10));
        Assert.That(first.IsWriter, Is.True);

        await first.DisposeAsync();
        await second.GrantAsync("alice", "203.0.113.1", bed.Time.GetUtcNow().AddHours(1));

        Assert.That(second.IsWriter, Is.True, "taken over long before a 10-minute lease could run out");
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32")])));
    }

    [Test]
    public async Task A_writer_whose_connections_are_cut_keeps_its_role_or_hands_it_over_and_the_grants_still_reach_Entra()
    {
        await using var bed = new SharedBed();
        var first = await bed.StartAgentAsync();
        var second = await bed.StartAgentAsync();
        var expires = bed.Time.GetUtcNow().AddHours(1);
        await second.GrantAsync("alice", "203.0.113.1", expires);

        await TestDatabase.TerminateAsync(first.AgentName); // as a database restart does to its clients
        await TestDatabase.TerminateAsync(second.AgentName);
        await second.GrantAsync("bob", "203.0.113.2", expires).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32"), Cidr.Parse("203.0.113.2/32")])));
    }

    [Test]
    public async Task With_the_database_unreachable_a_grant_fails_with_ENTRA063_naming_no_secret()
    {
        await using var bed = new SharedBed();
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Port = 1, Timeout = 2 };
        await using var source = Npgsql.NpgsqlDataSource.Create(unreachable.ConnectionString);
        await using var agent = PostgreSqlNamedLocationGate.Create(bed.Options(source));

        var error = Assert.ThrowsAsync<EntraException>(() => agent.GrantAsync("alice", "203.0.113.1", bed.Time.GetUtcNow().AddHours(1)));

        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.GrantStoreUnwritable));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(error.ToString(), Does.Not.Contain(unreachable.Password!));
        Assert.That(bed.Logs.Entries.Select(e => e.Text), Has.None.Contains(unreachable.Password!));
        Assert.That(bed.Patches, Is.Zero);
    }
}
