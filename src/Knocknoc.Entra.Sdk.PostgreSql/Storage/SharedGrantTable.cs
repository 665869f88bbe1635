using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Errors;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// The shared grant table of one location. Every change runs in one transaction that locks the location's row (so
/// changes from every agent are ordered), bumps its version and notifies <see cref="Channel"/> with the location's
/// key, which wakes the writer and the waiting agents.
/// </summary>
internal sealed partial class SharedGrantTable(NpgsqlDataSource dataSource, string locationKey, string agent)
{
    /// <summary>The LISTEN/NOTIFY channel every gate of the package shares; the payload is the location's key.</summary>
    public const string Channel = "knocknoc_entra";

    public string LocationKey => locationKey;

    public async Task EnsureLocationAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO knocknoc_entra.locations (location_key) VALUES (@k) ON CONFLICT (location_key) DO NOTHING");
        command.Parameters.AddWithValue("k", locationKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Grants or moves <paramref name="grantId"/>; the capacity is checked against the table's live networks.</summary>
    /// <returns>The version to wait for, the row, and whether anything changed.</returns>
    public async Task<(long Version, SharedGrant Row, bool Changed)> GrantAsync(
        string grantId, Cidr network, DateTimeOffset expiresAt, DateTimeOffset now, int maxRanges, CancellationToken cancellationToken)
    {
        await using var change = await BeginChangeAsync(cancellationToken).ConfigureAwait(false);
        SharedGrant? existing = null;
        long existingVersion = 0;
        await using (var read = change.Command(
            "SELECT network, expires_at, granted_at, version FROM knocknoc_entra.grants WHERE location_key = @k AND grant_id = @id AND expires_at > @now"))
        {
            read.Parameters.AddWithValue("id", grantId);
            read.Parameters.AddWithValue("now", now);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing = new SharedGrant(grantId, Cidr.Parse(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
                existingVersion = reader.GetInt64(3);
            }
        }

        if (existing is { } same && same.Network == network && same.ExpiresAt == expiresAt)
        {
            await change.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (existingVersion, same, false);
        }

        if (existing?.Network != network)
        {
            await CheckCapacityAsync(change, grantId, network, now, maxRanges, cancellationToken).ConfigureAwait(false);
        }

        var version = change.Version + 1;
        var row = new SharedGrant(grantId, network, expiresAt, existing?.GrantedAt ?? now);
        await using (var upsert = change.Command("""
            INSERT INTO knocknoc_entra.grants (location_key, grant_id, network, expires_at, granted_by, granted_at, version)
            VALUES (@k, @id, @network, @expires, @agent, @granted, @v)
            ON CONFLICT (location_key, grant_id) DO UPDATE
            SET network = excluded.network, expires_at = excluded.expires_at, granted_by = excluded.granted_by,
                granted_at = excluded.granted_at, version = excluded.version
            """))
        {
            upsert.Parameters.AddWithValue("id", grantId);
            upsert.Parameters.AddWithValue("network", network.ToString());
            upsert.Parameters.AddWithValue("expires", expiresAt);
            upsert.Parameters.AddWithValue("agent", agent);
            upsert.Parameters.AddWithValue("granted", row.GrantedAt);
            upsert.Parameters.AddWithValue("v", version);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await change.CommitVersionAsync(version, cancellationToken).ConfigureAwait(false);
        return (version, row, true);
    }

    /// <summary>Ends a grant. An unknown or already expired id changes nothing (null version).</summary>
    public async Task<(long? Version, Cidr? Network, ImmutableArray<string> StillGrantedTo)> RevokeAsync(
        string grantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var change = await BeginChangeAsync(cancellationToken).ConfigureAwait(false);
        Cidr? network = null;
        await using (var delete = change.Command(
            "DELETE FROM knocknoc_entra.grants WHERE location_key = @k AND grant_id = @id RETURNING network, expires_at > @now"))
        {
            delete.Parameters.AddWithValue("id", grantId);
            delete.Parameters.AddWithValue("now", now);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetBoolean(1))
            {
                network = Cidr.Parse(reader.GetString(0));
            }
        }

        if (network is not { } ended)
        {
            // An expired row is the writer's to clear; it has already left Entra.
            await change.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (null, null, []);
        }

        var still = ImmutableArray.CreateBuilder<string>();
        await using (var others = change.Command(
            "SELECT grant_id FROM knocknoc_entra.grants WHERE location_key = @k AND network = @network AND expires_at > @now ORDER BY grant_id"))
        {
            others.Parameters.AddWithValue("network", ended.ToString());
            others.Parameters.AddWithValue("now", now);
            await using var reader = await others.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                still.Add(reader.GetString(0));
            }
        }

        var version = change.Version + 1;
        await change.CommitVersionAsync(version, cancellationToken).ConfigureAwait(false);
        return (version, ended, still.ToImmutable());
    }

    /// <summary>Ends every grant of the location.</summary>
    /// <returns>The version to wait for and how many live grants ended.</returns>
    public async Task<(long Version, int Ended)> FlushAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var change = await BeginChangeAsync(cancellationToken).ConfigureAwait(false);
        int ended;
        await using (var delete = change.Command(
            "WITH gone AS (DELETE FROM knocknoc_entra.grants WHERE location_key = @k RETURNING expires_at) SELECT count(*) FILTER (WHERE expires_at > @now) FROM gone"))
        {
            delete.Parameters.AddWithValue("now", now);
            ended = (int)(long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (ended == 0)
        {
            await change.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (change.Version, 0);
        }

        await change.CommitVersionAsync(change.Version + 1, cancellationToken).ConfigureAwait(false);
        return (change.Version + 1, ended);
    }

    private static async Task CheckCapacityAsync(LocationChange change, string grantId, Cidr network, DateTimeOffset now, int maxRanges, CancellationToken cancellationToken)
    {
        // Distinct live networks, this id's own row left out: never fewer than the cover the writer sends, so the
        // check refuses no grant the location could not take, and may refuse one its cover would have merged.
        await using var count = change.Command("""
            SELECT count(DISTINCT network), bool_or(network = @network)
            FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > @now AND grant_id <> @id
            """);
        count.Parameters.AddWithValue("network", network.ToString());
        count.Parameters.AddWithValue("now", now);
        count.Parameters.AddWithValue("id", grantId);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var networks = reader.GetInt64(0);
        var alreadyThere = !reader.IsDBNull(1) && reader.GetBoolean(1);
        if (!alreadyThere && networks + 1 > maxRanges)
        {
            throw new EntraException(EntraErrorCode.CapacityExceeded,
                $"The location's shared table holds {networks} networks; another would exceed its cap of {maxRanges}.");
        }
    }
}
