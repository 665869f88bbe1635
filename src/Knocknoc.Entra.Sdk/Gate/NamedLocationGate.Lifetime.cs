using System.Diagnostics;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

public sealed partial class NamedLocationGate
{
    /// <summary>
    /// Stops the loop after the write in flight (if any) finished, saves the store, and fails the calls still waiting
    /// with <see cref="ObjectDisposedException"/>. A start in progress is cancelled. Every call returns the same
    /// disposal, so a second caller also waits for it to end.
    /// </summary>
    /// <returns>A task that completes when the gate stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        TaskCompletionSource? mine = null;
        Task disposal;
        lock (_lock)
        {
            _disposed = true;
            if (_disposal is null)
            {
                mine = NewSignal();
                _disposal = mine.Task;
            }

            disposal = _disposal;
        }

        if (mine is null)
        {
            await disposal.ConfigureAwait(false);
            return;
        }

        try
        {
            await DisposeCoreAsync().ConfigureAwait(false);
            mine.SetResult();
        }
        catch (Exception error)
        {
            mine.SetException(error);
            throw;
        }
    }

    (int Grants, int Networks, int LastRanges) IMeteredGate.Gauges()
    {
        lock (_lock)
        {
            return _core.Gauges();
        }
    }

    private async Task DisposeCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);

        // A start in progress ends first (a later one sees the gate disposed); then the loop has been started or never will be.
        await _startLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_loop is { } loop)
            {
                await loop.ConfigureAwait(false);
            }

            if (_sessions is { } sessions)
            {
                await sessions.StoppedAsync().ConfigureAwait(false);
                ReportSessionsLeft(sessions);
            }

            if (_started)
            {
                await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_lock)
            {
                var stopped = new ObjectDisposedException(nameof(NamedLocationGate), "The gate stopped before this change was written; a configured store keeps it, and a gate that starts again writes it.");
                var settled = new List<Settlement>();
                _core.Waiters.Settle(long.MaxValue, grantsOnly: false, error: null, settled);
                foreach (var settlement in settled)
                {
                    ((Waiter)settlement.Call).Completion.TrySetException(stopped);
                }

                _driftRequested?.TrySetException(stopped);
                _driftRequested = null;
            }

            GateMetrics.Untrack(this);

            // The next gate on this store (in this process or after it) may take it now.
            (_store as IExclusiveGrantStore)?.Release();
            _startLock.Release();
            _stopping.Dispose();
            _ownedClient?.Dispose();
        }
    }

    private Waiter AddWaiter(bool isGrant)
    {
        var waiter = new Waiter(_core.Waiters.Version, isGrant, _time.GetTimestamp(), GateTracing.CurrentCall());
        if (!_core.Waiters.Add(waiter))
        {
            // Nothing this call did (or is waiting on) is unwritten: Entra already holds it.
            waiter.Completion.TrySetResult();
            return waiter;
        }

        _wake.TrySetResult();
        return waiter;
    }

    private async Task WaitForWriteAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                _core.Waiters.Remove(waiter);
            }

            throw;
        }
    }

    /// <summary>
    /// Tells, under the lock, the calls the core settled: a grant's duration is recorded, and each call's span is
    /// linked to <paramref name="write"/>, the write that settled it (default: none, as when nothing needed writing).
    /// </summary>
    private void Settle(List<Settlement> settled, ActivityContext write = default)
    {
        if (settled.Count == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var (call, error) in settled)
        {
            var waiter = (Waiter)call;
            GateTracing.LinkToWrite(waiter.Call, write);
            if (waiter.IsGrant)
            {
                GateMetrics.GrantSettled(this, _time.GetElapsedTime(waiter.CalledAt, now), error?.Code);
            }

            if (error is not null)
            {
                waiter.Completion.TrySetException(error);
                continue;
            }

            waiter.Completion.TrySetResult();
        }
    }

    /// <summary>Writes the audit events the core decided on, in order.</summary>
    private void Audit(List<AuditNote> notes)
    {
        foreach (var note in notes)
        {
            var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(note.ExpiresAtMs);
            switch (note.Kind)
            {
                case AuditKind.Added: Log.GrantAdded(_logger, Name, note.GrantId, note.Network, expiresAt); break;
                case AuditKind.Moved: Log.GrantMoved(_logger, Name, note.GrantId, note.Previous, note.Network, expiresAt); break;
                case AuditKind.Revoked: Log.GrantRevoked(_logger, Name, note.GrantId, note.Network); break;
                case AuditKind.Expired: Expired(note); break;
                case AuditKind.Undone: Log.GrantUndone(_logger, Name, note.GrantId); break;
                case AuditKind.RemovedInEntra: Log.GrantRemovedInEntra(_logger, Name, note.GrantId, note.Network); break;
            }
        }
    }

    /// <summary>
    /// A call waiting for the write of the state at its version; the core settles it, this completes it. It keeps the
    /// call's span (<paramref name="call"/>, null when not recorded) for the links between the call and its write.
    /// </summary>
    private sealed class Waiter(long version, bool isGrant, long calledAt, Activity? call) : WaitingCall(version, isGrant, calledAt)
    {
        public TaskCompletionSource Completion { get; } = NewSignal();

        public Activity? Call { get; } = call;
    }

    /// <summary>Refuses options a gate cannot run with, listing every problem at once.</summary>
    private static void ThrowIfInvalid(NamedLocationGateOptions options, bool needsGraphAccess)
    {
        var problems = options.Validate(needsGraphAccess);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The gate options are not usable: " + string.Join(" ", problems), nameof(options));
        }
    }
}
