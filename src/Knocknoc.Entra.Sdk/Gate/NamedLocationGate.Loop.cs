using System.Diagnostics;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

public sealed partial class NamedLocationGate
{
    /// <summary>
    /// The one loop per gate: applies expiries when they fall due, checks for drift, and writes whenever the desired
    /// list differs from what Entra is known to hold. Only this loop calls Graph after the start, so there is never more
    /// than one write in flight, and no read is taken while a write is under way. What to do next is the core's call.
    /// </summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        // The loop was started inside whichever call came first; its writes belong to no caller (they are linked to
        // the calls they serve instead), so they must not become that call's children.
        Activity.Current = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                Task wake;
                lock (_lock)
                {
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = NewSignal();
                    }

                    wake = _wake.Task;
                }

                var now = _time.GetUtcNow();
                ApplyExpiries(now);
                bool saveRetryDue;
                lock (_lock)
                {
                    saveRetryDue = _core.SaveRetryDue(now);
                }

                if (saveRetryDue)
                {
                    await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
                }

                LoopStep step;
                TimeSpan wait;
                lock (_lock)
                {
                    step = _core.NextStep(now, out wait);
                }

                switch (step)
                {
                    case LoopStep.Read:
                        await ReadNowAsync(now, stopping).ConfigureAwait(false);
                        break;
                    case LoopStep.Sleep:
                        await SleepAsync(wake, now, wait, stopping).ConfigureAwait(false);
                        break;
                    default:
                        await WriteCycleAsync(stopping).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The loop must outlive any single failure: it is what keeps revocations from being lost.
            catch (Exception error)
#pragma warning restore CA1031
            {
                Log.LoopFailed(_logger, Name, error);
                try
                {
                    await Task.Delay(_settings.RetryBaseDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private void ApplyExpiries(DateTimeOffset now)
    {
        List<AuditNote> expired;
        lock (_lock)
        {
            _core.ApplyExpiries(now);
            expired = _core.TakeAudit();
        }

        Audit(expired);
    }

    private async Task SleepAsync(Task wake, DateTimeOffset now, TimeSpan wait, CancellationToken stopping)
    {
        // Timers beyond about 49 days are refused; the loop wakes then and looks again. (With nothing due, the wait
        // reaches DateTimeOffset.MaxValue: only the capped wait can be added to now.)
        var capped = wait > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : wait;
        var until = now + capped;
        using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var delay = Task.Delay(capped, _time, sleeping.Token);

        // The wait was measured before the timer was armed: if the clock passed the target in between (a descheduled
        // thread, or a test clock jumping ahead), the timer would fire that much late, and so would an expiry.
        if (_time.GetUtcNow() < until)
        {
            await Task.WhenAny(wake, delay).ConfigureAwait(false);
        }

        await sleeping.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
    }

    private async Task WriteCycleAsync(CancellationToken stopping)
    {
        // Let a burst gather, then wait for the tenant's next free slot before taking the snapshot, so whatever
        // arrives while Graph's rate limit holds the write back still goes into this one PATCH.
        if (_settings.CoalescingWindow > TimeSpan.Zero)
        {
            await Task.Delay(_settings.CoalescingWindow, _time, stopping).ConfigureAwait(false);
        }

        if (_limiter is not null)
        {
            await _limiter.DelayUntilFreeAsync(stopping).ConfigureAwait(false);
        }

        if (!await RevalidateIfNeededAsync(stopping).ConfigureAwait(false))
        {
            return;
        }

        ApplyExpiries(_time.GetUtcNow());
        PlannedWrite plan;
        lock (_lock)
        {
            plan = _core.PlanWrite(_time.GetUtcNow());
        }

        // Grants and revocations are durable before Entra sees them: a crash after the PATCH still knows them. A store
        // that cannot be saved undoes the grants it would lose (they never reach Entra) and lets removals go ahead.
        EntraException? notDurable = null;
        if (!await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false))
        {
            lock (_lock)
            {
                notDurable = _core.UndoUnsavedGrants();
                Audit(_core.TakeAudit());
                plan = _core.PlanWrite(_time.GetUtcNow());
            }
        }

        var settled = new List<Settlement>();
        if (plan.OverCapacity is { } overCapacity)
        {
            Log.Failure(_logger, overCapacity);
            GateMetrics.Failed(this, overCapacity.Code);
            lock (_lock)
            {
                _core.FailGrantCalls(plan.Version, overCapacity, settled);
                Settle(settled);
            }
        }

        if (!plan.NeedsWrite)
        {
            Confirmed(plan, wrote: false, notDurable);
            return;
        }

        if (await SendAsync(plan, notDurable).ConfigureAwait(false) is { } write)
        {
            Confirmed(plan, wrote: true, notDurable, write);
            await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>After a failure that questioned the location, reads and checks it again; false when that failed (the write waits).</summary>
    private async Task<bool> RevalidateIfNeededAsync(CancellationToken stopping)
    {
        bool must;
        lock (_lock)
        {
            must = _core.MustRevalidate;
        }

        if (!must)
        {
            return true;
        }

        try
        {
            await ReadCheckedAsync(_core.LocationId!, stopping).ConfigureAwait(false);
            lock (_lock)
            {
                _core.Revalidated();
            }

            return true;
        }
        catch (EntraException error)
        {
            _ = Failed(error, version: null, settleWith: null);
            return false;
        }
    }

    /// <summary>Sends the planned PATCH; the write's span context when it was confirmed, null when it failed (the calls heard, and the retry is scheduled).</summary>
    private async Task<ActivityContext?> SendAsync(PlannedWrite plan, EntraException? notDurable)
    {
        var (write, desired, known) = (plan.Write, plan.Desired, plan.Known);
        var diff = CidrSet.Diff(known ?? CidrSet.Empty, desired);
        List<ActivityLink> served;
        lock (_lock)
        {
            served = [.. _core.Waiters.Through(plan.Version).Select(call => ((Waiter)call).Call).OfType<Activity>().Select(call => new ActivityLink(call.Context))];
        }

        using var activity = GateTracing.StartWrite(Name, _core.LocationId, served);
        activity?.SetTag("knocknoc.entra.location.ranges", write.Ranges.Length);
        activity?.SetTag("knocknoc.entra.location.ranges.added", diff.Added.CidrCount);
        activity?.SetTag("knocknoc.entra.location.ranges.removed", diff.Removed.CidrCount);
        var context = activity?.Context ?? default;
        var started = _time.GetTimestamp();
        TimeSpan elapsed;
        try
        {
            // Not cancelled by disposal: a write in flight is finished, so Entra and the gate agree on what was sent.
            await _client.UpdateIpRangesAsync(_core.LocationId!, write.Ranges, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever a client throws, the waiting calls must hear of it and the change must stay pending.
        catch (Exception thrown)
#pragma warning restore CA1031
        {
            var error = thrown as EntraException ?? new EntraException(EntraErrorCode.NamedLocationUpdateFailed, $"The Graph client failed unexpectedly ({thrown.GetType().Name})", thrown);
            GateTracing.Failed(activity, error);
            elapsed = _time.GetElapsedTime(started);
            GateMetrics.Wrote(this, elapsed, error.Code);
            if (thrown is not EntraException)
            {
                Log.Failure(_logger, error);
            }

            // A call whose change the store could not keep hears that first: its grant was undone whatever Graph did.
            var retryIn = Failed(error, plan.Version, notDurable, context);
            Written(write.Ranges.Length, diff, elapsed, error.Code, retryIn);
            return null;
        }

        elapsed = _time.GetElapsedTime(started);
        GateMetrics.Wrote(this, elapsed, error: null);
        Log.LocationWritten(_logger, Name, _core.LocationId!, write.Ranges.Length, diff.Added.CidrCount, diff.Removed.CidrCount, (long)elapsed.TotalMilliseconds);
        Written(write.Ranges.Length, diff, elapsed, error: null, TimeSpan.Zero);
        return context;
    }

    private void Confirmed(PlannedWrite plan, bool wrote, EntraException? notDurable, ActivityContext write = default)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var settled = new List<Settlement>();
            _core.WriteConfirmed(plan, wrote, notDurable, now, settled);
            Settle(settled, write);
            EndSessions();
        }
    }

    /// <summary>Settles the calls a failure fails, schedules the retry and says so; returns the retry's delay.</summary>
    private TimeSpan Failed(EntraException error, long? version, EntraException? settleWith, ActivityContext write = default)
    {
        GateMetrics.Failed(this, error.Code);
        TimeSpan delay;
        lock (_lock)
        {
            var settled = new List<Settlement>();
            delay = _core.WriteFailed(error, version ?? _core.Waiters.Version, settleWith, _time.GetUtcNow(), _random.NextDouble(), settled);
            Settle(settled, write);
        }

        // The client has logged the failure itself under its ENTRA code; this says what the gate does about it.
        Log.WriteWillRetry(_logger, Name, error.CodeText, delay);
        return delay;
    }
}
