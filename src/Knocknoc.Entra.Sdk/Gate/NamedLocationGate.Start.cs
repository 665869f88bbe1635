using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk;

public sealed partial class NamedLocationGate
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }

            // The span of the start itself, under the call that needed it (or StartAsync's caller).
            using var activity = GateTracing.StartCall(GateTracing.Start, Name);
            try
            {
                // Disposal cancels a start in progress, so it never waits on a slow Graph for the caller's sake.
                using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
                await StartCoreAsync(starting.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (GateTracing.Failed(activity, error))
            {
                throw;
            }
            catch (EntraException error)
            {
                // Graph's failures were logged by the client under their codes; the gate's and the store's where they arose.
                GateMetrics.Failed(this, error.Code);
                (_store as IExclusiveGrantStore)?.Release();
                throw;
            }
            catch
            {
                (_store as IExclusiveGrantStore)?.Release();
                throw;
            }
        }
        finally
        {
            _startLock.Release();
        }
    }

    private Task EnsureStartedAsync(CancellationToken cancellationToken) =>
        _started ? Task.CompletedTask : StartAsync(cancellationToken);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        GrantStoreLoadResult loaded;
        try
        {
            // One writer per store: a second live gate on it is refused here, before anything is read or written.
            (_store as IExclusiveGrantStore)?.Acquire();
            loaded = _store is null
                ? new GrantStoreLoadResult(GrantStoreSnapshot.Empty, [])
                : await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error)
        {
            // No Graph client saw this one (an unreadable file is ENTRA062): logged here, once.
            Log.Failure(_logger, error);
            throw;
        }
        if (loaded.IsDamaged)
        {
            var damage = new EntraException(
                EntraErrorCode.GrantStoreDamaged,
                $"{loaded.Problems.Count} problem(s), first: {loaded.Problems[0]}; {loaded.Snapshot.Grants.Length} valid grant(s) kept");
            GateMetrics.Failed(this, damage.Code);
            Log.Failure(_logger, damage);
        }

        var id = _core.LocationId ?? await ResolveByNameAsync(cancellationToken).ConfigureAwait(false);
        StartOutcome outcome;
        List<AuditNote> ended = [];
        int grants = 0;
        IpNamedLocation location;
        while (true)
        {
            // Trust is judged at the read's start: a read that began inside the window may show an older version.
            var readAt = _time.GetUtcNow();
            location = await ReadCheckedAsync(id, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                outcome = _core.Start(loaded, id, location, readAt);
                if (outcome.IsStarted)
                {
                    ended = _core.TakeAudit();
                    grants = _core.Table.Count;
                    _started = true;
                }
            }

            if (outcome.ReadAgainAt is not { } again)
            {
                break;
            }

            // Too soon after the last write to believe the read: nothing is decided on it. Calls wait for the start.
            Log.StartDeferred(_logger, Name, again);
            var wait = again - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var dropped in outcome.Dropped)
        {
            Log.Failure(_logger, dropped);
        }

        Audit(ended);
        if (outcome.MustSave)
        {
            // Grants the start ended are saved as ended before any call is served: a revocation that was acknowledged
            // then (it finds nothing to revoke) must already be durable.
            await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Log.GateStarted(_logger, Name, id, location.DisplayName, grants, outcome.Expired);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task<string> ResolveByNameAsync(CancellationToken cancellationToken)
    {
        var name = _settings.LocationDisplayName!;
        var matches = (await _client.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(location => string.Equals(location.DisplayName, name, StringComparison.Ordinal))
            .ToList();
        if (matches.Count == 1)
        {
            return matches[0].Id;
        }

        throw Logged(matches.Count == 0
            ? new EntraException(EntraErrorCode.NamedLocationNotFound, $"No named location is called '{ShownText.Of(name)}'")
            : new EntraException(EntraErrorCode.NamedLocationNameAmbiguous, $"{matches.Count} named locations are called '{ShownText.Of(name)}': {string.Join(", ", matches.Select(m => m.Id))}"));
    }

    /// <summary>Reads the location and checks it is one the gate may write: an IP location (ENTRA053) passing the name guard (ENTRA060).</summary>
    private async Task<IpNamedLocation> ReadCheckedAsync(string id, CancellationToken cancellationToken)
    {
        IpNamedLocation location;
        try
        {
            location = await _client.GetIpAsync(id, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A client of the host's own may throw anything; the gate speaks in ENTRA codes.
        catch (Exception thrown) when (thrown is not EntraException && !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            throw Logged(new EntraException(EntraErrorCode.NamedLocationReadFailed, $"The Graph client failed unexpectedly ({thrown.GetType().Name})", thrown));
        }

        if (_settings.NameGuard is { } guard && !guard.Allows(location.DisplayName))
        {
            throw Logged(new EntraException(
                EntraErrorCode.NameGuardMismatch,
                $"Location {id} is called '{ShownText.Of(location.DisplayName)}', which fails the guard ({guard})"));
        }

        return location;
    }

    private EntraException Logged(EntraException error)
    {
        Log.Failure(_logger, error);
        return error;
    }

    /// <summary>Saves the state if it changed since the last save.</summary>
    /// <returns>False when the save failed: the store is behind the gate (<see cref="StoreSync.Error"/> says why).</returns>
    private async Task<bool> SaveStoreIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return true;
        }

        (GrantStoreSnapshot Snapshot, long Version) save;
        lock (_lock)
        {
            if (_core.TakeSnapshotToSave() is not { } taken)
            {
                return _core.Store.Error is null;
            }

            save = taken;
        }

        try
        {
            await _store.SaveAsync(save.Snapshot, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _core.Saved(save.Version);
            }

            return true;
        }
#pragma warning disable CA1031 // A store is the host's code (a database, a file); no failure of it may stop writes to Entra.
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // Entra stays the priority: the write goes ahead, the save is tried again with the next change.
            lock (_lock)
            {
                _core.SaveFailed(error, _time.GetUtcNow());
            }

            GateMetrics.Failed(this, EntraErrorCode.GrantStoreUnwritable);
            Log.StoreSaveFailed(_logger, Name, error);
            return false;
        }
    }
}
