using System.Collections.Immutable;
using System.Diagnostics;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;

namespace Knocknoc.Entra.Sdk.Gate;

public sealed partial class NamedLocationGate
{
    private DateTimeOffset _nextDriftAt = DateTimeOffset.MaxValue;
    private DateTimeOffset? _verifyAt;
    private DateTimeOffset _retryNotBefore = DateTimeOffset.MinValue;
    private int _failures;
    private DateTimeOffset? _saveRetryAt;
    private DateTimeOffset _nextForgetAt = DateTimeOffset.MinValue;

    // A write whose outcome is unknown (it failed, or the process before this one died with it in flight) may still
    // land until its attempt timed out: a read after that (and after reads can be trusted) repairs what it undid.
    private DateTimeOffset? _lateWriteCheckAt;
    private bool _revalidate;
    private TaskCompletionSource? _driftRequested;

    /// <inheritdoc/>
    public async Task CheckDriftAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Task done;
        lock (_lock)
        {
            ThrowIfDisposed();
            _driftRequested ??= NewSignal();
            done = _driftRequested.Task;
            _wake.TrySetResult();
        }

        await done.WaitAsync(cancellationToken).ConfigureAwait(false);

        // The read is in; if Entra differed from what the gate wants, the next cycle writes it back.
        Waiter waiter;
        lock (_lock)
        {
            ThrowIfDisposed();
            waiter = AddWaiter(isGrant: false);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The one loop per gate: applies expiries when they fall due, checks for drift, and writes whenever the desired
    /// list differs from what Entra is known to hold. Only this loop calls Graph after the start, so there is never more
    /// than one write in flight, and no read is taken while a write is under way.
    /// </summary>
    private async Task RunAsync(CancellationToken stopping)
    {
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
                if (SaveRetryDue(now))
                {
                    await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
                }

                if (DriftCheckDue(now))
                {
                    await CheckDriftNowAsync(now, stopping).ConfigureAwait(false);
                    continue;
                }

                var wait = UntilNextWork(now);
                if (wait > TimeSpan.Zero)
                {
                    await SleepAsync(wake, now, wait, stopping).ConfigureAwait(false);
                    continue;
                }

                await WriteCycleAsync(stopping).ConfigureAwait(false);
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
        List<(string Id, GrantEntry Entry)>? expired = null;
        lock (_lock)
        {
            if (_table.NextExpiryMs() is not { } next || next > now.ToUnixTimeMilliseconds())
            {
                return;
            }

            expired = [];
            _table.RemoveExpired(now.ToUnixTimeMilliseconds(), expired);
            foreach (var (id, entry) in expired)
            {
                Ended(id, entry.Network);
            }

            if (expired.Count > 0)
            {
                _version++;
            }
        }

        foreach (var (id, entry) in expired)
        {
            Log.GrantExpired(_logger, Name, id, entry.Network, entry.ExpiresAtMs);
        }
    }

    private bool SaveRetryDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _saveRetryAt is { } at && at <= now;
        }
    }

    private bool DriftCheckDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            // Never while a change waits to be written (the write comes first), nor while a read could still show
            // an older version than the gate's own last write.
            return _version <= _confirmedVersion && _entraKnown is not null && NextDriftAt() <= now;
        }
    }

    /// <summary>When the next read is due: the periodic check, a verification or a request, but never before reads can be trusted.</summary>
    private DateTimeOffset NextDriftAt()
    {
        var next = _nextDriftAt;
        if (_verifyAt is { } verify && verify < next)
        {
            next = verify;
        }

        if (_lateWriteCheckAt is { } late && late < next)
        {
            next = late;
        }

        if (_driftRequested is not null)
        {
            next = DateTimeOffset.MinValue;
        }

        var trustFrom = _lastWriteAt is { } last ? AddSafely(last, _settings.ReadAfterWriteDelay) : DateTimeOffset.MinValue;
        return next < trustFrom ? trustFrom : next;
    }

    /// <summary>How long until the loop has something to do: zero when a write is due now.</summary>
    private TimeSpan UntilNextWork(DateTimeOffset now)
    {
        lock (_lock)
        {
            // While a write is pending, only the write (after its backoff) or an expiry can be next: a read never
            // runs then, so its due time must not wake the loop, or a failing write would be retried at once.
            var writePending = _version > _confirmedVersion || _entraKnown is null;
            var next = writePending ? _retryNotBefore : NextDriftAt();
            if (_table.NextExpiryMs() is { } expiry)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(expiry);
                next = at < next ? at : next;
            }

            if (_saveRetryAt is { } save && save < next)
            {
                next = save;
            }

            // Timers work in whole milliseconds: a shorter wait would come back early and spin.
            var wait = next - now;
            return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
        }
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

        if (_revalidate)
        {
            try
            {
                await ReadCheckedAsync(_locationId!, stopping).ConfigureAwait(false);
                _revalidate = false;
            }
            catch (EntraException error)
            {
                Failed(error, _version);
                return;
            }
        }

        ApplyExpiries(_time.GetUtcNow());
        var next = NextWrite();

        // Grants and revocations are durable before Entra sees them: a crash after the PATCH still knows them. A store
        // that cannot be saved undoes the grants it would lose (they never reach Entra) and lets removals go ahead.
        EntraException? notDurable = null;
        if (!await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false))
        {
            notDurable = UndoUnsavedGrants();
            next = NextWrite();
        }

        var (version, write, desired, known, needsWrite, overCapacity) = next;
        if (overCapacity is not null)
        {
            Log.Failure(_logger, overCapacity);
            GateMetrics.Failed(this, overCapacity.Code);
            FailGrantCalls(version, overCapacity);
        }

        if (!needsWrite)
        {
            Confirmed(version, write, desired, wrote: false, overCapacity, notDurable);
            return;
        }

        var diff = CidrSet.Diff(known ?? CidrSet.Empty, desired);
        using var activity = GateTelemetry.Source.StartActivity("knocknoc.entra.gate.write", ActivityKind.Internal);
        activity?.SetTag("knocknoc.gate", Name);
        activity?.SetTag("knocknoc.location.id", _locationId);
        activity?.SetTag("knocknoc.ranges", write.Ranges.Length);
        activity?.SetTag("knocknoc.ranges.added", diff.Added.CidrCount);
        activity?.SetTag("knocknoc.ranges.removed", diff.Removed.CidrCount);
        var started = _time.GetTimestamp();
        try
        {
            // Not cancelled by disposal: a write in flight is finished, so Entra and the gate agree on what was sent.
            await _client.UpdateIpRangesAsync(_locationId!, write.Ranges, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever a client throws, the waiting calls must hear of it and the change must stay pending.
        catch (Exception thrown)
#pragma warning restore CA1031
        {
            var error = thrown as EntraException ?? new EntraException(EntraErrorCode.NamedLocationUpdateFailed, $"The Graph client failed unexpectedly ({thrown.GetType().Name})", thrown);
            activity?.SetStatus(ActivityStatusCode.Error, error.CodeText);
            GateMetrics.Wrote(this, _time.GetElapsedTime(started), success: false);
            if (thrown is not EntraException)
            {
                Log.Failure(_logger, error);
            }

            // A call whose change the store could not keep hears that first: its grant was undone whatever Graph did.
            Failed(error, version, notDurable);
            return;
        }

        var elapsed = _time.GetElapsedTime(started);
        GateMetrics.Wrote(this, elapsed, success: true);
        Log.LocationWritten(_logger, Name, _locationId!, write.Ranges.Length, diff.Added.CidrCount, diff.Removed.CidrCount, (long)elapsed.TotalMilliseconds);
        Confirmed(version, write, desired, wrote: true, overCapacity, notDurable);
        await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Notes the gate's own entries as sent now, and forgets those not sent for a long while.</summary>
    private void RememberSent(ImmutableArray<Cidr> own, DateTimeOffset now)
    {
        foreach (var range in own)
        {
            _ownSent[range] = now;
        }

        ForgetOldSent(now);
    }

    /// <summary>
    /// Forgets own entries not sent for several read-after-write delays: long enough for any stale read to have
    /// passed, short enough that another writer may later add the same range as its own.
    /// </summary>
    private void ForgetOldSent(DateTimeOffset now)
    {
        var memory = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, _settings.ReadAfterWriteDelay.Ticks * 10));
        if (now < _nextForgetAt)
        {
            // A sweep every tenth of the memory is precise enough, and keeps a write from scanning every entry.
            return;
        }

        _nextForgetAt = now + (memory / 10);
        var horizon = now - memory;
        foreach (var (range, at) in _ownSent)
        {
            if (at < horizon)
            {
                _ownSent.Remove(range);
            }
        }
    }

    /// <summary>Takes, under the lock, the state to write: the desired list (cut to Graph's limit) and whether it differs from Entra.</summary>
    private PlannedWrite NextWrite()
    {
        lock (_lock)
        {
            var write = Desired();
            EntraException? overCapacity = null;
            if (write.Ranges.Length > Clouds.GraphLimits.MaxIpRanges)
            {
                // Admission keeps grants within the cap, but a revocation can split a range, and others' ranges can
                // grow behind the gate's back. A revoked address must still leave: write a list that grants less,
                // never more (fail closed), and tell every waiting call.
                overCapacity = new EntraException(
                    EntraErrorCode.CapacityExceeded,
                    $"The location would need {write.Ranges.Length} ranges ({_kept.List.Length} kept from other writers), more than Graph's {Clouds.GraphLimits.MaxIpRanges}; {write.Ranges.Length - Clouds.GraphLimits.MaxIpRanges} range(s) are left out, granted ones first");
                write = write.Truncated(Clouds.GraphLimits.MaxIpRanges);
            }

            // Built once: at 2,000 ranges the set is most of a write cycle's CPU.
            var desired = write.ToSet();
            var known = _entraKnown;
            var needsWrite = known is null || !known.SetEquals(desired);
            if (needsWrite)
            {
                // Recorded before sending, and stored with the grants: if the answer is lost or the process dies,
                // the request may still have been applied, so reads are distrusted from now and these entries are
                // never taken for someone else's.
                var now = _time.GetUtcNow();
                _lastWriteAt = now;
                RememberSent(write.Own, now);
                _storeMetadataDirty = true;
            }

            return new PlannedWrite(_version, write, desired, known, needsWrite, overCapacity);
        }
    }

    /// <summary>
    /// After a failed save: every grant or move the store does not hold is undone (the id gets back what it held at
    /// the last save, or nothing), so a restart on the old store can never lose a grant that Entra was given.
    /// </summary>
    private EntraException UndoUnsavedGrants()
    {
        List<(string Id, GrantEntry? Prior)> undone;
        EntraException error;
        lock (_lock)
        {
            error = new EntraException(
                EntraErrorCode.GrantStoreUnwritable,
                $"The grant store could not be saved ({_storeError?.InnerException?.GetType().Name ?? "failed"}): grants since its last save were undone and removals were written to Entra without being durable",
                _storeError?.InnerException);
            undone = _unsaved.TakeAll();
            foreach (var (id, prior) in undone)
            {
                if (prior is { } entry)
                {
                    _table.Set(id, entry);
                }
                else
                {
                    _table.Remove(id, out _);
                }
            }

            _version++;
        }

        foreach (var (id, _) in undone)
        {
            Log.GrantUndone(_logger, Name, id);
        }

        return error;
    }

    private void Confirmed(long version, LocationWrite write, CidrSet written, bool wrote, EntraException? shortfall, EntraException? notDurable)
    {
        var now = _time.GetUtcNow();
        var nowTs = _time.GetTimestamp();
        lock (_lock)
        {
            _entraKnown = written;
            if (!_writtenOwn.SequenceEqual(write.Own))
            {
                _writtenOwn = write.Own;
                _storeMetadataDirty = true;
            }
            _confirmedVersion = Math.Max(_confirmedVersion, version);
            _lastError = shortfall ?? notDurable;
            _failures = 0;
            _retryNotBefore = DateTimeOffset.MinValue;
            if (wrote)
            {
                // Reads are distrusted from when the write landed, not from when it was first tried.
                _writeCount++;
                _lastWriteAt = now;
                _storeMetadataDirty = true;
                _verifyAt = _settings.VerifyWrites ? AddSafely(now, _settings.ReadAfterWriteDelay) : null;
            }

            SettleWaiters(version, grantsOnly: false, waiter =>
            {
                if (notDurable is not null)
                {
                    // In Entra (a removal) or undone (a grant), but not in the store: the caller must not take it as kept.
                    waiter.Completion.TrySetException(notDurable);
                    return;
                }

                if (waiter.IsGrant)
                {
                    GateMetrics.GrantTookEffect(this, _time.GetElapsedTime(waiter.CalledAt, nowTs));
                }

                waiter.Completion.TrySetResult();
            });
        }
    }

    /// <summary>Settles, under the lock, every call waiting on <paramref name="version"/> or earlier (only grant calls if asked).</summary>
    private void SettleWaiters(long version, bool grantsOnly, Action<Waiter> settle) =>
        _waiters.RemoveAll(waiter =>
        {
            if (waiter.Version > version || (grantsOnly && !waiter.IsGrant))
            {
                return false;
            }

            settle(waiter);
            return true;
        });

    /// <summary>
    /// Fails the grant calls waiting on <paramref name="version"/> or earlier: their address may be among those left
    /// out. Revocations and the rest are in Entra and settle with the write.
    /// </summary>
    private void FailGrantCalls(long version, EntraException error)
    {
        lock (_lock)
        {
            _lastError = error;
            SettleWaiters(version, grantsOnly: true, waiter => waiter.Completion.TrySetException(error));
        }
    }

    private void Failed(EntraException error, long version, EntraException? settleWith = null)
    {
        GateMetrics.Failed(this, error.Code);
        TimeSpan delay;
        lock (_lock)
        {
            _lastError = error;
            _failures++;

            // Exponential with full jitter over the upper half, so several gates that failed together do not retry together.
            var ceiling = Math.Min(_settings.RetryMaxDelay.TotalMilliseconds, _settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 30)));
            delay = TimeSpan.FromMilliseconds(ceiling * (0.5 + (_random.NextDouble() / 2)));
            _retryNotBefore = _time.GetUtcNow() + delay;

            // The location may have been deleted, replaced or renamed: check it again before the next write.
            _revalidate |= error.Code is EntraErrorCode.NamedLocationNotFound or EntraErrorCode.NotAnIpNamedLocation or EntraErrorCode.NamedLocationNotManaged;

            // Known state is unknown after a failed write: the request may have been applied, even after the next one.
            _entraKnown = null;
            NoteWriteInDoubt(_lastWriteAt);
            SettleWaiters(version, grantsOnly: false, waiter => waiter.Completion.TrySetException(settleWith ?? error));
        }

        // The client has logged the failure itself under its ENTRA code; this says what the gate does about it.
        Log.WriteWillRetry(_logger, Name, error.CodeText, delay);
    }

    private async Task CheckDriftNowAsync(DateTimeOffset now, CancellationToken stopping)
    {
        TaskCompletionSource? requested;
        lock (_lock)
        {
            requested = _driftRequested;
        }

        try
        {
            var location = await ReadCheckedAsync(_locationId!, stopping).ConfigureAwait(false);
            lock (_lock)
            {
                _displayName = location.DisplayName;
                _revalidate = false;

                // Graph's replicas disagree for a while after a write: a read older than one already seen says
                // nothing new, and acting on it could undo a newer state.
                if (location.ModifiedDateTime is { } modified && _newestModifiedSeen is { } newest && modified < newest)
                {
                    Log.StaleReadIgnored(_logger, Name, modified, newest);
                }
                else
                {
                    _newestModifiedSeen = location.ModifiedDateTime ?? _newestModifiedSeen;
                    Observe(location);
                }
            }
        }
        catch (EntraException error)
        {
            GateMetrics.Failed(this, error.Code);
            lock (_lock)
            {
                _lastError = error;
                _revalidate |= error.Code is EntraErrorCode.NamedLocationNotFound or EntraErrorCode.NotAnIpNamedLocation or EntraErrorCode.NamedLocationNotManaged;
            }

            requested?.TrySetException(error);
            ClearDriftSchedule(requested, now);
            return;
        }

        ClearDriftSchedule(requested, now);
        requested?.TrySetResult();
    }

    /// <summary>Takes a trusted read in: others' ranges (shared ownership), drift, and what Entra holds.</summary>
    private void Observe(Graph.IpNamedLocation location)
    {
        ForgetOldSent(_time.GetUtcNow());
        var remote = location.ToSet();
        var before = _kept.Coverage;
        if (_settings.Ownership == LocationOwnership.Shared)
        {
            _kept = _kept.WithForeign(ForeignIn(location, _table.Granted));
        }

        // Only the gate's own part can drift: others' ranges are theirs to change under shared ownership.
        var expected = (_entraKnown ?? remote).Except(before);
        var found = remote.Except(_kept.Coverage);
        if (_entraKnown is not null && !expected.SetEquals(found))
        {
            var diff = CidrSet.Diff(expected, found);
            GateMetrics.Drifted(this);
            Log.DriftFound(_logger, Name, _locationId!, diff.Added.CidrCount, diff.Removed.CidrCount);
        }

        _entraKnown = remote;

        // Compare again in a cycle: if Entra differs from what the gate wants, it is written back.
        _confirmedVersion = -1;
    }

    private void ClearDriftSchedule(TaskCompletionSource? requested, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_driftRequested, requested))
            {
                _driftRequested = null;
            }

            _verifyAt = null;
            if (_lateWriteCheckAt is { } late && late <= now)
            {
                _lateWriteCheckAt = null;
            }

            _nextDriftAt = AddSafely(now, _settings.DriftCheckInterval);
        }
    }

    /// <summary>Notes under the lock that a write sent at <paramref name="sentAt"/> may land until its attempt timed out, and schedules the read that checks.</summary>
    private void NoteWriteInDoubt(DateTimeOffset? sentAt)
    {
        if (sentAt is not { } sent)
        {
            return;
        }

        var check = AddSafely(AddSafely(sent, _settings.InFlightHorizon), _settings.ReadAfterWriteDelay);
        if (_lateWriteCheckAt is not { } scheduled || scheduled < check)
        {
            _lateWriteCheckAt = check;
        }
    }

    private readonly record struct PlannedWrite(long Version, LocationWrite Write, CidrSet Desired, CidrSet? Known, bool NeedsWrite, EntraException? OverCapacity);
}
