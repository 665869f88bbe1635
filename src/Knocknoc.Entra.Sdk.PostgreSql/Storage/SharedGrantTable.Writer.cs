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
    public Task<(long Version, int Added, int Updated, int Unchanged, int Removed)> ReplaceAsync(
        IReadOnlyDictionary<string, (Cidr Network, DateTimeOffset ExpiresAt)> wanted, DateTimeOffset now, CancellationToken cancellationToken) =>
        OneAtATimeAsync(() => ReplaceNowAsync(wanted, now, cancellationToken), cancellationToken);

    private async Task<(long Version, int Added, int Updated, int Unchanged, int Removed)> ReplaceNowAsync(
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
        await using (var end = change.Command(
            "UPDATE knocknoc_entra.grants SET expires_at = '-infinity', version = @v WHERE location_key = @k AND grant_id = ANY(@ids)"))
        {
            // Ended rows stay for the writer to read (see RevokeAsync); expired ones are the writer's to clear.
            end.Parameters.AddWithValue("ids", gone);
            end.Parameters.AddWithValue("v", version);
            await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>The location's counters, on <paramref name="connection"/> (one the caller holds) or a pooled one.</summary>
    public Task<LocationRow> ReadLocationAsync(CancellationToken cancellationToken, NpgsqlConnection? connection = null) =>
        QueryAsync(connection,
            "SELECT version, confirmed_version, failed_version, failed_code FROM knocknoc_entra.locations WHERE location_key = @k",
            _ => { },
            async (reader, token) => await reader.ReadAsync(token).ConfigureAwait(false)
                ? new LocationRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt32(3))
                : default,
            cancellationToken);

    /// <summary>The location's version and its live grants, as one consistent snapshot (one statement).</summary>
    public Task<(long Version, List<SharedGrant> Rows)> ReadLiveAsync(DateTimeOffset now, CancellationToken cancellationToken, NpgsqlConnection? connection = null) =>
        ReadRowsAsync(connection, "g.expires_at > @now", parameters => parameters.AddWithValue("now", now), cancellationToken);

    /// <summary>
    /// The location's version and every row changed after <paramref name="since"/>, as one consistent snapshot: grants
    /// and moves, and ended grants (their expiry <c>-infinity</c>). A row is cleared only once the writer confirmed a
    /// version at or after its own, so no change is missed between two reads.
    /// </summary>
    public Task<(long Version, List<SharedGrant> Rows)> ReadChangesAsync(long since, CancellationToken cancellationToken, NpgsqlConnection? connection = null) =>
        ReadRowsAsync(connection, "g.version > @since", parameters => parameters.AddWithValue("since", since), cancellationToken);

    private Task<(long Version, List<SharedGrant> Rows)> ReadRowsAsync(
        NpgsqlConnection? connection, string filter, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        // One statement is one snapshot: the version and the rows agree without a transaction of their own.
        QueryAsync(connection, $"""
            SELECT l.version, g.grant_id, g.network, g.expires_at, g.granted_at
            FROM knocknoc_entra.locations l
            LEFT JOIN knocknoc_entra.grants g ON g.location_key = l.location_key AND {filter}
            WHERE l.location_key = @k
            """, bind, async (reader, token) =>
        {
            long version = 0;
            var rows = new List<SharedGrant>();
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                version = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    rows.Add(new SharedGrant(reader.GetString(1), Cidr.Parse(reader.GetString(2)), reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
                }
            }

            return (version, rows);
        }, cancellationToken);

    /// <summary>
    /// The writer of <paramref name="generation"/> records that Entra holds <paramref name="version"/> (or that its
    /// write failed with <paramref name="failedCode"/>) and clears the expired and ended rows that version covers,
    /// whose networks the write took out; a newer ended row stays until the writer has read it. False: the lease passed to a newer generation, and nothing was recorded.
    /// </summary>
    public Task<bool> RecordWriteAsync(long generation, long version, int? failedCode, DateTimeOffset now, CancellationToken cancellationToken, NpgsqlConnection? connection = null) =>
        QueryAsync(connection, failedCode is null
            ? """
              WITH fenced AS (
                UPDATE knocknoc_entra.locations SET confirmed_version = greatest(confirmed_version, @v)
                WHERE location_key = @k AND writer = @agent AND writer_generation = @g RETURNING location_key),
              expired AS (
                DELETE FROM knocknoc_entra.grants
                WHERE location_key IN (SELECT location_key FROM fenced) AND expires_at <= @now AND version <= @v)
              SELECT (SELECT count(*) FROM fenced), pg_notify('knocknoc_entra', @k)
              """
            : """
              WITH fenced AS (
                UPDATE knocknoc_entra.locations SET failed_version = greatest(failed_version, @v), failed_code = @code
                WHERE location_key = @k AND writer = @agent AND writer_generation = @g RETURNING location_key)
              SELECT (SELECT count(*) FROM fenced), pg_notify('knocknoc_entra', @k)
              """,
            parameters =>
            {
                parameters.AddWithValue("agent", agent);
                parameters.AddWithValue("g", generation);
                parameters.AddWithValue("v", version);
                parameters.AddWithValue("now", now);
                parameters.AddWithValue("code", failedCode ?? 0);
            },
            async (reader, token) =>
            {
                await reader.ReadAsync(token).ConfigureAwait(false);
                return reader.GetInt64(0) == 1;
            },
            cancellationToken);

    /// <summary>
    /// One statement with <c>@k</c> bound, prepared (a prepared statement stays on its physical connection, pooled or
    /// held), on <paramref name="connection"/> when the caller holds one, else on a pooled connection.
    /// </summary>
    private async Task<T> QueryAsync<T>(
        NpgsqlConnection? connection, string sql, Action<NpgsqlParameterCollection> bind,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var pooled = connection is null ? await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            await using var command = new NpgsqlCommand(sql, connection ?? pooled);
            command.Parameters.AddWithValue("k", locationKey);
            bind(command.Parameters);
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await read(reader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pooled is not null)
            {
                await pooled.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
