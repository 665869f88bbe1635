using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

public sealed partial class NamedLocationGate
{
    /// <inheritdoc/>
    public async Task CheckDriftAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Task done;
        lock (_lock)
        {
            ThrowIfDisposed();
            _driftRequested ??= NewSignal();
            _core.RequestRead();
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

    /// <summary>Reads the location back (drift, verification, a late write, a caller's request) and gives the core the answer.</summary>
    private async Task ReadNowAsync(DateTimeOffset now, CancellationToken stopping)
    {
        TaskCompletionSource? requested;
        lock (_lock)
        {
            requested = _driftRequested;
        }

        try
        {
            var location = await ReadCheckedAsync(_core.LocationId!, stopping).ConfigureAwait(false);
            lock (_lock)
            {
                var outcome = _core.ReadReturned(location, now, _time.GetUtcNow(), ServedRequest(requested));
                if (outcome.StaleSince is { } newest)
                {
                    Log.StaleReadIgnored(_logger, Name, location.ModifiedDateTime!.Value, newest);
                }
                else if (outcome.Drift is { } drift)
                {
                    GateMetrics.Drifted(this);
                    Log.DriftFound(_logger, Name, _core.LocationId!, drift.Added.CidrCount, drift.Removed.CidrCount);
                }
            }
        }
        catch (EntraException error)
        {
            GateMetrics.Failed(this, error.Code);
            requested?.TrySetException(error);
            lock (_lock)
            {
                _core.ReadFailed(error, now, ServedRequest(requested));
            }

            return;
        }

        requested?.TrySetResult();
    }

    /// <summary>Under the lock: whether the read just taken served the pending request (one made during it is served by the next).</summary>
    private bool ServedRequest(TaskCompletionSource? requested)
    {
        if (requested is null || !ReferenceEquals(_driftRequested, requested))
        {
            return false;
        }

        _driftRequested = null;
        return true;
    }
}
