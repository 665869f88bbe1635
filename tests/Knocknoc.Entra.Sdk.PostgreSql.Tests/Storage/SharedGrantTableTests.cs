using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.PostgreSql.Schema;
using Knocknoc.Entra.Sdk.PostgreSql.Storage;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests.Storage;

/// <summary>
/// The shared table's statements, on a real database and without gates: what an ended grant leaves for the writer to
/// read, when the writer may clear it, and what the one-statement grant decides.
/// </summary>
public class SharedGrantTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_revocation_is_among_the_changes_since_the_writers_version_until_a_record_covering_it_clears_it()
    {
        var table = await NewTableAsync();
        var (granted, _, _) = await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(1), Now, 2000, CancellationToken.None);
        var (revoked, network, _) = await table.RevokeAsync("alice", Now, CancellationToken.None);
        await TakeLeaseAsync(table.LocationKey);

        var (version, changed) = await table.ReadChangesAsync(granted, CancellationToken.None);
        Assert.That(version, Is.EqualTo(revoked));
        Assert.That(network, Is.EqualTo(Cidr.Parse("203.0.113.7/32")));
        Assert.That(changed.Single().GrantId, Is.EqualTo("alice"));
        Assert.That(changed.Single().ExpiresAt, Is.LessThanOrEqualTo(Now), "an ended row reads as no longer live");

        Assert.That(await table.RecordWriteAsync(1, granted, null, Now, CancellationToken.None), Is.True);
        Assert.That((await table.ReadChangesAsync(granted, CancellationToken.None)).Rows, Has.Count.EqualTo(1),
            "a record of an older version leaves the ended row: a writer that has not read it yet still must");

        Assert.That(await table.RecordWriteAsync(1, revoked!.Value, null, Now, CancellationToken.None), Is.True);
        Assert.That(await RowCountAsync(table.LocationKey), Is.Zero, "the record of its version clears it");
    }

    [Test]
    public async Task A_revocation_retried_after_a_broken_connection_answers_for_the_row_its_first_attempt_ended()
    {
        var table = await NewTableAsync();
        await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(1), Now, 2000, CancellationToken.None);
        var first = await RevokeSqlAsync(table.LocationKey, "alice", again: false);

        var retried = await RevokeSqlAsync(table.LocationKey, "alice", again: true);
        var fresh = await RevokeSqlAsync(table.LocationKey, "alice", again: false);

        Assert.That(first, Is.Not.Null);
        Assert.That(retried, Is.EqualTo(first), "the retry reports the same ended network and version");
        Assert.That(fresh, Is.Null, "a new call finds nothing live to end");
        Assert.That((await table.ReadLocationAsync(CancellationToken.None)).Version, Is.EqualTo(first!.Value.Version), "the retry made no new version");
    }

    [Test]
    public async Task A_grant_of_a_network_already_live_passes_a_full_table_and_a_new_one_is_refused_naming_the_count()
    {
        var table = await NewTableAsync();
        await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(1), Now, 2, CancellationToken.None);
        await table.GrantAsync("bob", Cidr.Parse("203.0.113.8/32"), Now.AddHours(1), Now, 2, CancellationToken.None);

        var (_, shared, changed) = await table.GrantAsync("carol", Cidr.Parse("203.0.113.8/32"), Now.AddHours(1), Now, 2, CancellationToken.None);
        var refused = Assert.ThrowsAsync<EntraException>(() =>
            table.GrantAsync("dave", Cidr.Parse("203.0.113.9/32"), Now.AddHours(1), Now, 2, CancellationToken.None));

        Assert.That((shared.Network, changed), Is.EqualTo((Cidr.Parse("203.0.113.8/32"), true)));
        Assert.That(refused!.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(refused.Message, Does.Contain("holds 2 networks"));
    }

    [Test]
    public async Task A_grant_repeated_with_the_same_network_and_expiry_changes_nothing_and_keeps_its_first_grant_time()
    {
        var table = await NewTableAsync();
        var (first, row, _) = await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(1), Now, 2000, CancellationToken.None);

        var (again, same, changed) = await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(1), Now.AddMinutes(5), 2000, CancellationToken.None);
        var (extended, longer, _) = await table.GrantAsync("alice", Cidr.Parse("203.0.113.7/32"), Now.AddHours(2), Now.AddMinutes(6), 2000, CancellationToken.None);

        Assert.That((again, changed, same.GrantedAt), Is.EqualTo((first, false, row.GrantedAt)));
        Assert.That((extended, longer.GrantedAt), Is.EqualTo((first + 1, Now)));
    }

    private static async Task<SharedGrantTable> NewTableAsync()
    {
        var database = TestDatabase.Shared();
        await SchemaMigrator.EnsureAsync(database, CancellationToken.None);
        var table = new SharedGrantTable(database, "table-" + Guid.NewGuid().ToString("N"), "agent-a");
        await table.EnsureLocationAsync(CancellationToken.None);
        return table;
    }

    private static async Task TakeLeaseAsync(string key)
    {
        await using var command = TestDatabase.Shared().CreateCommand(
            "UPDATE knocknoc_entra.locations SET writer = 'agent-a', writer_generation = 1 WHERE location_key = @k");
        command.Parameters.AddWithValue("k", key);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> RowCountAsync(string key)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT count(*) FROM knocknoc_entra.grants WHERE location_key = @k");
        command.Parameters.AddWithValue("k", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(string Network, long Version)?> RevokeSqlAsync(string key, string id, bool again)
    {
        // The statement as LocationChange runs it, with the retry's flag set by hand.
        await using var connection = await TestDatabase.Shared().OpenConnectionAsync();
        await using var command = new NpgsqlCommand(SharedGrantSql.Revoke, connection);
        command.Parameters.AddWithValue("k", key);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", Now);
        command.Parameters.AddWithValue("again", again);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }
}
