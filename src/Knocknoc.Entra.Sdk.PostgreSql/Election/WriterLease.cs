using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Election;

/// <summary>
/// The lease on a location's row that makes one agent its writer. Expiry is by the database's clock, so agents'
/// clocks never have to agree; every takeover bumps the fencing generation, and everything the writer records
/// (confirmations, failures, clearing expired rows) is conditional on it, so a deposed writer records nothing.
/// The holder also keeps its own, earlier deadline (<see cref="LeaseHold.ValidUntil"/>): the renewal was sent before
/// the database stamped it, so by the holder's clock the lease always ends before the database's says it does.
/// </summary>
internal sealed class WriterLease(NpgsqlDataSource dataSource, string locationKey, string agent, TimeSpan duration, TimeProvider clock)
{
    /// <summary>Takes the lease if nobody holds it or its holder's lease ran out; null when another agent holds it.</summary>
    public async Task<LeaseHold?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var sent = clock.GetTimestamp();
        await using var command = dataSource.CreateCommand("""
            UPDATE knocknoc_entra.locations
            SET writer = @agent, writer_generation = writer_generation + 1, lease_expires_at = clock_timestamp() + @lease
            WHERE location_key = @k AND (writer IS NULL OR lease_expires_at IS NULL OR lease_expires_at < clock_timestamp())
            RETURNING writer_generation
            """);
        Bind(command);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long generation
            ? new LeaseHold(generation, sent + Ticks(duration))
            : null;
    }

    /// <summary>Extends the lease of <paramref name="hold"/>; null when it passed to another generation.</summary>
    public async Task<LeaseHold?> RenewAsync(LeaseHold hold, CancellationToken cancellationToken)
    {
        var sent = clock.GetTimestamp();
        await using var command = dataSource.CreateCommand("""
            UPDATE knocknoc_entra.locations SET lease_expires_at = clock_timestamp() + @lease
            WHERE location_key = @k AND writer = @agent AND writer_generation = @g AND lease_expires_at >= clock_timestamp()
            """);
        Bind(command);
        command.Parameters.AddWithValue("g", hold.Generation);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1
            ? hold with { ValidUntil = sent + Ticks(duration) }
            : null;
    }

    /// <summary>Gives the lease up at once (a graceful stop), and wakes the other agents so one takes over.</summary>
    public async Task ReleaseAsync(LeaseHold hold, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE knocknoc_entra.locations SET writer = NULL, lease_expires_at = NULL
            WHERE location_key = @k AND writer = @agent AND writer_generation = @g;
            SELECT pg_notify('knocknoc_entra', @k)
            """);
        Bind(command);
        command.Parameters.AddWithValue("g", hold.Generation);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the holder's own deadline has not passed.</summary>
    public bool IsValid(LeaseHold hold) => clock.GetTimestamp() < hold.ValidUntil;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

    private void Bind(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("k", locationKey);
        command.Parameters.AddWithValue("agent", agent);
        command.Parameters.AddWithValue("lease", duration);
    }
}

/// <summary>A lease held: its fencing generation and the holder's own deadline (a <see cref="TimeProvider"/> timestamp).</summary>
/// <param name="Generation">The fencing generation of this takeover.</param>
/// <param name="ValidUntil">When the holder stops counting itself the writer, by its own monotonic clock.</param>
internal sealed record LeaseHold(long Generation, long ValidUntil);
