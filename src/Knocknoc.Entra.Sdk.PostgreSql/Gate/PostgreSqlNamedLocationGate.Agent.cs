using Knocknoc.Entra.Sdk.PostgreSql.Election;
using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// The agent's one background loop: it keeps a connection LISTENing on the package's channel, renews or tries to
/// take the writer lease every <see cref="PostgreSqlGateOptions.RenewInterval"/>, and reads the location's counters
/// whenever a notification names the location (or every <see cref="PostgreSqlGateOptions.PollInterval"/> without
/// one), settling the waiting calls and waking the writer.
/// </summary>
public sealed partial class PostgreSqlNamedLocationGate
{
    private volatile LeaseHold? _hold;

    /// <summary>Gets the agent's loop (null before the start); for tests and tools.</summary>
    internal Task? AgentLoop => _agent;

    /// <summary>Gets the generation of the lease this agent holds by its own account (null: none); for tests and tools.</summary>
    internal long? HeldGeneration => _hold?.Generation;

    private async Task RunAgentAsync(CancellationToken cancellationToken)
    {
        var clock = _options.LeaseClock;
        LocationListener? listener = null;
        var nextLeaseStep = clock.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    listener ??= await LocationListener.OpenAsync(_options.DataSource!, LocationKey, clock, cancellationToken).ConfigureAwait(false);
                    if (_writer is { Loop.IsCompleted: true })
                    {
                        await StepDownAsync("its fenced record was refused: the lease passed to a newer generation", release: false).ConfigureAwait(false);
                    }

                    if (clock.GetTimestamp() >= nextLeaseStep)
                    {
                        nextLeaseStep = clock.GetTimestamp() + (long)(_options.RenewInterval.TotalSeconds * clock.TimestampFrequency);
                        await LeaseStepAsync(cancellationToken).ConfigureAwait(false);
                    }

                    var row = await _table.ReadLocationAsync(cancellationToken, listener.Connection).ConfigureAwait(false);
                    _waiters.Observe(row);
                    if (_writer is { } writer && row.Version > writer.Issued)
                    {
                        writer.Wake();
                    }
                }
                catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error) && !cancellationToken.IsCancellationRequested)
                {
                    Log.DatabaseFailed(_logger, Name, error.GetType().Name);
                    await DisposeListenerAsync(listener).ConfigureAwait(false);
                    listener = null;
                    if (_hold is { } hold && !_lease.IsValid(hold))
                    {
                        await StepDownAsync("its lease ran out with the database unreachable", release: false).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested)
                {
                    // Never a silent end: an agent whose loop stopped would leave its calls waiting forever and,
                    // as the writer, the location unwritten. It logs, starts listening afresh and goes on.
                    Log.AgentLoopFailed(_logger, Name, error);
                    await DisposeListenerAsync(listener).ConfigureAwait(false);
                    listener = null;
                }
                finally
                {
                    _firstLeaseStep.TrySetResult();
                }

                var untilLeaseStep = TimeSpan.FromSeconds(Math.Max(0, nextLeaseStep - clock.GetTimestamp()) / (double)clock.TimestampFrequency);
                var wait = untilLeaseStep < _options.PollInterval ? untilLeaseStep : _options.PollInterval;
                if (!await WaitForNotificationAsync(listener, wait, cancellationToken).ConfigureAwait(false))
                {
                    await DisposeListenerAsync(listener).ConfigureAwait(false);
                    listener = null;
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await DisposeListenerAsync(listener).ConfigureAwait(false);
        }
    }

    private async Task LeaseStepAsync(CancellationToken cancellationToken)
    {
        if (_hold is { } hold)
        {
            LeaseHold? renewed;
            try
            {
                renewed = await _lease.RenewAsync(hold, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error) && !_lease.IsValid(hold))
            {
                await StepDownAsync("its lease ran out with the database unreachable", release: false).ConfigureAwait(false);
                throw;
            }

            if (renewed is null)
            {
                await StepDownAsync("its lease passed to another agent", release: false).ConfigureAwait(false);
            }
            else if (_hold?.Generation == renewed.Generation)
            {
                _hold = renewed;
            }

            return;
        }

        if (await _lease.TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } acquired)
        {
            await TakeOverAsync(acquired, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a notification names this location, or <paramref name="wait"/> passed; false when the listening connection broke.</summary>
    private async Task<bool> WaitForNotificationAsync(LocationListener? listener, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (listener is null)
        {
            await Task.Delay(wait, _options.LeaseClock, cancellationToken).ConfigureAwait(false);
            return true;
        }

        try
        {
            if (await listener.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                // The writer reads the table's changes at once, without waiting for this loop's read of the counters.
                _writer?.Wake();
            }

            return true;
        }
        catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error))
        {
            return false;
        }
    }

    private static async Task DisposeListenerAsync(LocationListener? listener)
    {
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
