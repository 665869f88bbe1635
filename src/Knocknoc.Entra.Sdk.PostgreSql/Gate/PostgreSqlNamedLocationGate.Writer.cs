using Knocknoc.Entra.Sdk.PostgreSql.Election;
using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// The writer's role: a <see cref="NamedLocationGate"/> of its own, started on the table's live grants, that the
/// writer's loop keeps equal to the table (one <c>ReconcileAsync</c> per new version, which the gate coalesces into
/// as few PATCHes as the tenant's pace allows), recording each confirmed version under its fencing generation. A
/// takeover also schedules the read that catches the previous writer's late writes.
/// </summary>
public sealed partial class PostgreSqlNamedLocationGate
{
    private volatile WriterRole? _writer;

    /// <summary>Gets the task of the current writer's late-write check (completed when there is none); for tests and tools.</summary>
    internal Task LateWriteCheck => _writer?.LateWriteCheck ?? Task.CompletedTask;

    private async Task TakeOverAsync(LeaseHold hold, CancellationToken cancellationToken)
    {
        _hold = hold;
        List<SharedGrant> grants;
        long version;
        NamedLocationGate gate;
        try
        {
            (version, grants) = await _table.ReadLiveAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            gate = BuildWriterGate(new WriterGrantStore(grants, () => _hold is { } current && current.Generation == hold.Generation && _lease.IsValid(current)));
        }
        catch
        {
            // A hold without a role would be renewed for ever with nobody writing: drop it; the lease runs out.
            _hold = null;
            throw;
        }

        var role = new WriterRole(hold.Generation, gate, new HeldConnection(_options.DataSource!));
        role.Mirror.Replace(version, grants);
        _writer = role;
        Log.TookOver(_logger, Name, AgentName, LocationKey, hold.Generation, grants.Count);
        role.Loop = Task.Run(() => RunWriterAsync(role), CancellationToken.None);
        var window = _options.LateWriteWindow ?? _gate.Resilience.TotalTimeout;
        role.LateWriteCheck = Task.Run(() => CheckLateWritesAsync(role, window), CancellationToken.None);
    }

    private NamedLocationGate BuildWriterGate(WriterGrantStore store)
    {
        lock (_gate)
        {
            // The options are the caller's; the store is only this takeover's, so it is set for the build alone.
            _gate.Store = store;
            try
            {
                return _options.Client is { } client ? NamedLocationGate.Create(_gate, client) : NamedLocationGate.Create(_gate);
            }
            finally
            {
                _gate.Store = null;
            }
        }
    }

    private async Task RunWriterAsync(WriterRole role)
    {
        var cancellationToken = role.Stop.Token;
        Task write = Task.CompletedTask;
        while (!cancellationToken.IsCancellationRequested && !role.Fenced)
        {
            try
            {
                var now = _time.GetUtcNow();
                var version = await role.Connection.RunAsync(connection => RefreshMirrorAsync(role.Mirror, now, connection, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (version != role.Issued)
                {
                    // Not awaited: the gate takes the new table at once and writes it with the next slot, so what
                    // arrives while a write waits for the tenant's pace joins it. The next read waits for this
                    // write or a coalescing window, whichever is first.
                    role.Issued = version;
                    write = WriteVersionAsync(role, version, role.Mirror.Live(now), cancellationToken);
                    await Task.WhenAny(write, Task.Delay(_gate.CoalescingWindow, _time, cancellationToken)).ConfigureAwait(false);
                }
                else if (write.IsCompleted && role.RecordDue(_options.PollInterval, _options.LeaseClock)
                    && !await role.Connection.RunAsync(connection => _table.RecordWriteAsync(role.Generation, role.Synced, null, now, cancellationToken, connection), cancellationToken).ConfigureAwait(false))
                {
                    // Nothing new: the call only clears the rows that expired (the gate took them out of Entra), at
                    // most once a poll interval: a wake by the notification of its own record must not record again.
                    role.Fenced = true;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error))
            {
                Log.DatabaseFailed(_logger, Name, error.GetType().Name);
                role.Mirror.Invalidate(); // read the whole table again once the database answers
            }

            if (role.Fenced)
            {
                return; // fenced out: the agent's loop steps down
            }

            try
            {
                await role.WaitForWakeAsync(_options.PollInterval, _options.LeaseClock).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Brings the writer's copy of the table up to the table's version: the rows changed since, or all of them when it has none.</summary>
    private async Task<long> RefreshMirrorAsync(TableMirror mirror, DateTimeOffset now, Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (mirror.NeedsFullRead)
        {
            var (version, grants) = await _table.ReadLiveAsync(now, cancellationToken, connection).ConfigureAwait(false);
            mirror.Replace(version, grants);
        }
        else
        {
            var (version, changed) = await _table.ReadChangesAsync(mirror.Version, cancellationToken, connection).ConfigureAwait(false);
            mirror.Apply(version, changed, now);
        }

        return mirror.Version;
    }

    /// <summary>Hands the table's <paramref name="version"/> to the gate and records the outcome; never throws.</summary>
    private async Task WriteVersionAsync(WriterRole role, long version, List<SharedGrant> grants, CancellationToken cancellationToken)
    {
        try
        {
            int? failed = null;
            try
            {
                await role.Gate.ReconcileAsync(
                    grants.Select(g => new GrantRequest(g.GrantId, g.Network.BaseAddress, g.ExpiresAt)), cancellationToken).ConfigureAwait(false);
            }
            catch (EntraException error) when (!cancellationToken.IsCancellationRequested)
            {
                failed = (int)error.Code;
                Log.WriteFailed(_logger, Name, version, error.CodeText);
            }

            if (!await role.Connection.RunAsync(connection => _table.RecordWriteAsync(role.Generation, version, failed, _time.GetUtcNow(), cancellationToken, connection), cancellationToken).ConfigureAwait(false))
            {
                role.Fenced = true;
                return;
            }

            if (failed is null)
            {
                role.Confirmed(version);
            }
            else
            {
                // The gate retries the write itself; reconcile the table again after a pause.
                await Task.Delay(_options.PollInterval, _options.LeaseClock, cancellationToken).ConfigureAwait(false);
                role.Issued = -1;
                role.Wake();
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error))
        {
            // The confirmation is recorded by the next write (confirmed_version only grows).
            Log.DatabaseFailed(_logger, Name, error.GetType().Name);
            role.Issued = -1;
        }
        catch (Exception error)
        {
            Log.WriterLoopFailed(_logger, Name, error);
            role.Issued = -1;
        }
    }

    private async Task CheckLateWritesAsync(WriterRole role, TimeSpan window)
    {
        try
        {
            // The gate's clock, as the SDK's own attempt timeouts: how long the old writer's requests can be in flight.
            await Task.Delay(window, _time, role.Stop.Token).ConfigureAwait(false);
            await role.Gate.CheckDriftAsync(role.Stop.Token).ConfigureAwait(false);
            Log.LateWriteChecked(_logger, Name);
        }
        catch (OperationCanceledException) when (role.Stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (role.Stop.IsCancellationRequested)
        {
        }
    }

    private async Task StepDownAsync(string reason, bool release)
    {
        var role = Interlocked.Exchange(ref _writer, null);
        var hold = _hold;
        _hold = null;
        if (role is null)
        {
            return;
        }

        await role.Stop.CancelAsync().ConfigureAwait(false);
        await role.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await role.LateWriteCheck.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await role.Gate.DisposeAsync().ConfigureAwait(false); // a write in flight is finished
        await role.Connection.DisposeAsync().ConfigureAwait(false);
        role.Stop.Dispose();
        if (release && hold is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.RenewInterval);
                await _lease.ReleaseAsync(hold, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error) || error is OperationCanceledException)
            {
                // The lease then simply runs out.
            }
        }

        Log.SteppedDown(_logger, Name, AgentName, role.Generation, reason);
    }
}
