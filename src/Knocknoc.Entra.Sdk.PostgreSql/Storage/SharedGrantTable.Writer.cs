using Knocknoc.Entra.Sdk.CidrAlgebra;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>What the writer and the waiting agents read, and what only the writer (fenced by its generation) writes.</summary>
internal sealed partial class SharedGrantTable
{
    private Task<LocationChange> BeginChangeAsync(CancellationToken cancellationToken) =>
        LocationChange.BeginAsync(dataSource, locationKey, cancellationToken);

    /// <summary>Makes the location's grants exactly <paramref name="wanted"/>.</summary>
    /// <returns>The version to wait for and the counts of what changed.</returns>
    public async Task<(long Version, int Added, int Updated, int Unchanged, int Removed)> ReplaceAsync(
        IReadOnlyDictionary<string, (Cidr Network, DateTimeOffset ExpiresAt)> wanted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var change = await BeginChangeAsync(cancellationToken).ConfigureAwait(false);
        var held = new Dictionary<string, (Cidr Network, DateTimeOffset ExpiresAt)>(StringComparer.Ordinal);
        await using (var read = change.Command("SELECT grant_id, network, expires_at FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > @now"))
        {
            read.Parameters.AddWithValue("now", now);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                held[reader.GetString(0)] = (Cidr.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2));
            }
        }

        var gone = held.Keys.Where(id => !wanted.ContainsKey(id)).ToArray();
        var changed = wanted.Where(w => !held.TryGetValue(w.Key, out var h) || h != w.Value).ToArray();
        int added = changed.Count(c => !held.ContainsKey(c.Key)), updated = changed.Length - added;
        if (gone.Length == 0 && changed.Length == 0)
        {
            await change.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (change.Version, 0, 0, wanted.Count, 0);
        }

        var version = change.Version + 1;
        await using (var delete = change.Command("DELETE FROM knocknoc_entra.grants WHERE location_key = @k AND (expires_at <= @now OR grant_id = ANY(@ids))"))
        {
            delete.Parameters.AddWithValue("now", now);
            delete.Parameters.AddWithValue("ids", gone);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (id, (network, expiresAt)) in changed)
        {
            await using var upsert = change.Command("""
                INSERT INTO knocknoc_entra.grants (location_key, grant_id, network, expires_at, granted_by, granted_at, version)
                VALUES (@k, @id, @network, @expires, @agent, @now, @v)
                ON CONFLICT (location_key, grant_id) DO UPDATE
                SET network = excluded.network, expires_at = excluded.expires_at, granted_by = excluded.granted_by, version = excluded.version
                """);
            upsert.Parameters.AddWithValue("id", id);
            upsert.Parameters.AddWithValue("network", network.ToString());
            upsert.Parameters.AddWithValue("expires", expiresAt);
            upsert.Parameters.AddWithValue("agent", agent);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("v", version);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await change.CommitVersionAsync(version, cancellationToken).ConfigureAwait(false);
        return (version, added, updated, wanted.Count - changed.Length, gone.Length);
    }

    public async Task<LocationRow> ReadLocationAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, confirmed_version, failed_version, failed_code FROM knocknoc_entra.locations WHERE location_key = @k");
        command.Parameters.AddWithValue("k", locationKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LocationRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt32(3))
            : default;
    }

    /// <summary>The location's version and its live grants, as one consistent snapshot.</summary>
    public async Task<(long Version, List<SharedGrant> Grants)> ReadLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long version;
        await using (var location = new NpgsqlCommand("SELECT version FROM knocknoc_entra.locations WHERE location_key = @k", connection, transaction))
        {
            location.Parameters.AddWithValue("k", locationKey);
            version = (long)(await location.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var grants = new List<SharedGrant>();
        await using (var read = new NpgsqlCommand(
            "SELECT grant_id, network, expires_at, granted_at FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > @now ORDER BY grant_id", connection, transaction))
        {
            read.Parameters.AddWithValue("k", locationKey);
            read.Parameters.AddWithValue("now", now);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                grants.Add(new SharedGrant(reader.GetString(0), Cidr.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (version, grants);
    }

    /// <summary>
    /// The writer of <paramref name="generation"/> records that Entra holds <paramref name="version"/> (or that its
    /// write failed with <paramref name="failedCode"/>) and clears the expired rows, whose networks the write took
    /// out. False: the lease passed to a newer generation, and nothing was recorded.
    /// </summary>
    public async Task<bool> RecordWriteAsync(long generation, long version, int? failedCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(failedCode is null
            ? """
              WITH fenced AS (
                UPDATE knocknoc_entra.locations SET confirmed_version = greatest(confirmed_version, @v)
                WHERE location_key = @k AND writer = @agent AND writer_generation = @g RETURNING location_key),
              expired AS (
                DELETE FROM knocknoc_entra.grants WHERE location_key IN (SELECT location_key FROM fenced) AND expires_at <= @now)
              SELECT (SELECT count(*) FROM fenced), pg_notify('knocknoc_entra', @k)
              """
            : """
              WITH fenced AS (
                UPDATE knocknoc_entra.locations SET failed_version = greatest(failed_version, @v), failed_code = @code
                WHERE location_key = @k AND writer = @agent AND writer_generation = @g RETURNING location_key)
              SELECT (SELECT count(*) FROM fenced), pg_notify('knocknoc_entra', @k)
              """);
        command.Parameters.AddWithValue("k", locationKey);
        command.Parameters.AddWithValue("agent", agent);
        command.Parameters.AddWithValue("g", generation);
        command.Parameters.AddWithValue("v", version);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("code", failedCode ?? 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt64(0) == 1;
    }
}
