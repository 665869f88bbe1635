using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>What the loop does next.</summary>
internal enum LoopStep
{
    /// <summary>Read the location back (drift, verification, late write, or a caller's request).</summary>
    Read,

    /// <summary>Nothing is due: sleep for the wait given, or until a call wakes the loop.</summary>
    Sleep,

    /// <summary>Run a write cycle: plan, save, send (or settle at once when Entra already holds the list).</summary>
    Write,
}

/// <summary>The state to write: the desired list (cut to Graph's limit), and whether it differs from Entra.</summary>
internal readonly record struct PlannedWrite(long Version, LocationWrite Write, CidrSet Desired, CidrSet? Known, bool NeedsWrite, EntraException? OverCapacity);

internal sealed partial class GateCore
{
    public bool SaveRetryDue(DateTimeOffset now) => Store.RetryDue(now);

    /// <summary>What the loop does next at <paramref name="now"/>, and for how long it sleeps if nothing is due.</summary>
    public LoopStep NextStep(DateTimeOffset now, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;

        // A read never runs while a change waits to be written (the write comes first), nor while it could still
        // show an older version than the gate's own last write.
        if (!Waiters.ChangePending && Trust.Known is not null && _reads.DueAt(Trust.TrustFrom) <= now)
        {
            return LoopStep.Read;
        }

        // While a write is pending, only the write (after its backoff) or an expiry can be next: a read's due time
        // must not wake the loop then, or a failing write would be retried at once.
        var writePending = Waiters.ChangePending || Trust.Known is null;
        var next = writePending ? _retry.NotBefore : _reads.DueAt(Trust.TrustFrom);
        if (Table.NextExpiryMs() is { } expiry)
        {
            next = GateTime.Earliest(next, DateTimeOffset.FromUnixTimeMilliseconds(expiry));
        }

        next = GateTime.Earliest(next, Store.RetryAt);

        // Timers work in whole milliseconds: a shorter wait would come back early and spin.
        var until = next - now;
        wait = until < TimeSpan.FromMilliseconds(1) ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(until.TotalMilliseconds));
        return wait > TimeSpan.Zero ? LoopStep.Sleep : LoopStep.Write;
    }

    /// <summary>The location was read and checked again after a failure that questioned it: writes may go on.</summary>
    public void Revalidated() => MustRevalidate = false;

    /// <summary>Takes the state to write at <paramref name="now"/>: the desired list, and whether Entra lacks it.</summary>
    public PlannedWrite PlanWrite(DateTimeOffset now)
    {
        var write = LocationWrite.Compose(Table.Granted, Kept, _settings.Sentinel);
        EntraException? overCapacity = null;
        if (write.Ranges.Length > GraphLimits.MaxIpRanges)
        {
            // Admission keeps grants within the cap, but a revocation can split a range, and others' ranges can
            // grow behind the gate's back. A revoked address must still leave: write a list that grants less,
            // never more (fail closed), and tell every waiting call.
            overCapacity = new EntraException(
                EntraErrorCode.CapacityExceeded,
                $"The location would need {write.Ranges.Length} ranges ({Kept.List.Length} kept from other writers), more than Graph's {GraphLimits.MaxIpRanges}; {write.Ranges.Length - GraphLimits.MaxIpRanges} range(s) are left out, granted ones first");
            write = write.Truncated(GraphLimits.MaxIpRanges);
        }

        // Built once: at 2,000 ranges the set is most of a write cycle's CPU.
        var desired = write.ToSet();
        var known = Trust.Known;
        var needsWrite = known is null || !known.SetEquals(desired);
        if (needsWrite)
        {
            // Recorded before sending, and stored with the grants: if the answer is lost or the process dies, the
            // request may still have been applied, so reads are distrusted from now and these entries are never
            // taken for someone else's.
            Trust.Sent(write.Own, now);
            Store.MetadataDirty = true;
        }

        Table.Sessions?.Planned(Waiters.Version);
        return new PlannedWrite(Waiters.Version, write, desired, known, needsWrite, overCapacity);
    }

    /// <summary>
    /// The save before a write failed: every grant or move the store does not hold is undone (the id gets back what
    /// it held at the last save, or nothing), so a restart on the old store can never lose a grant Entra was given.
    /// Returns the error every call of this write hears (ENTRA063).
    /// </summary>
    public EntraException UndoUnsavedGrants()
    {
        var error = new EntraException(
            EntraErrorCode.GrantStoreUnwritable,
            $"The grant store could not be saved ({Store.Error?.InnerException?.GetType().Name ?? "failed"}): grants since its last save were undone and removals were written to Entra without being durable",
            Store.Error?.InnerException);
        foreach (var (id, prior) in _unsaved.TakeAll())
        {
            if (prior is { } entry)
            {
                Table.Set(id, entry);
            }
            else
            {
                Table.Remove(id, out _, undone: true);
            }

            _audit.Add(new AuditNote(AuditKind.Undone, id, default, default, 0));
        }

        Waiters.Bump();
        return error;
    }

    /// <summary>
    /// Fails the grant calls waiting on <paramref name="version"/> or earlier: their address may be among those left
    /// out of a write cut to Graph's limit. Revocations and the rest are in Entra and settle with the write.
    /// </summary>
    public void FailGrantCalls(long version, EntraException error, List<Settlement> settled)
    {
        LastError = error;
        Waiters.Settle(version, grantsOnly: true, error, settled);
    }

    /// <summary>
    /// Entra holds <paramref name="plan"/> (it was written at <paramref name="now"/>, or already there): every call
    /// waiting on its version settles, with <paramref name="notDurable"/> if the store could not keep it.
    /// </summary>
    public void WriteConfirmed(PlannedWrite plan, bool wrote, EntraException? notDurable, DateTimeOffset now, List<Settlement> settled)
    {
        Trust.Known = plan.Desired;
        if (Trust.Confirmed(plan.Write.Own, now))
        {
            Store.MetadataDirty = true;
        }

        Waiters.Confirm(plan.Version);
        if (Table.Sessions?.Confirmed(plan.Version) is { Count: > 0 } ended)
        {
            SessionsToEnd.AddRange(ended);
        }

        LastError = plan.OverCapacity ?? notDurable;
        _retry.Succeeded();
        if (wrote)
        {
            // Reads are distrusted from when the write landed, not from when it was first tried.
            WriteCount++;
            Trust.LastWriteAt = now;
            Store.MetadataDirty = true;
            _reads.Wrote(now, _settings.VerifyWrites);
        }

        // A change in Entra (a removal) or undone (a grant) but not in the store: the caller must not take it as kept.
        Waiters.Settle(plan.Version, grantsOnly: false, notDurable, settled);
    }

    /// <summary>
    /// A write (or the check before it) failed at <paramref name="now"/>: Entra's state is unknown, since the request
    /// may have been applied, even after the next one. Every call waiting on <paramref name="version"/> or earlier
    /// fails, with <paramref name="settleWith"/> when the store's failure came first. Returns the backoff.
    /// </summary>
    public TimeSpan WriteFailed(EntraException error, long version, EntraException? settleWith, DateTimeOffset now, double jitter, List<Settlement> settled)
    {
        LastError = error;
        var delay = _retry.Failed(now, jitter);

        // The location may have been deleted, replaced or renamed: check it again before the next write.
        MustRevalidate |= QuestionsLocation(error);
        Trust.Known = null;
        _reads.WriteInDoubt(Trust.LastWriteAt);
        Waiters.Settle(version, grantsOnly: false, settleWith ?? error, settled);
        return delay;
    }

    private static bool QuestionsLocation(EntraException error) =>
        error.Code is EntraErrorCode.NamedLocationNotFound or EntraErrorCode.NotAnIpNamedLocation or EntraErrorCode.NameGuardMismatch;
}
