using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.GrantStores;

namespace Knocknoc.Entra.Sdk.Gate;

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

            try
            {
                // Disposal cancels a start in progress, so it never waits on a slow Graph for the caller's sake.
                using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
                await StartCoreAsync(starting.Token).ConfigureAwait(false);
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

        var id = _locationId ?? await ResolveByNameAsync(cancellationToken).ConfigureAwait(false);
        var location = await ReadCheckedAsync(id, cancellationToken).ConfigureAwait(false);

        var expired = new List<(string Id, GrantEntry Entry)>();
        var removedInEntra = new List<(string Id, GrantEntry Entry)>();
        lock (_lock)
        {
            _locationId = id;
            _displayName = location.DisplayName;
            _storeProblems = loaded.Problems;
            _newestModifiedSeen = location.ModifiedDateTime;
            var now = _time.GetUtcNow();
            var snapshot = loaded.Snapshot;
            _lastWriteAt = snapshot.LastWriteAt;
            _writtenOwn = snapshot.WrittenRanges;

            // The process before may have died with a write in flight: it can still land, undoing what this one writes.
            NoteWriteInDoubt(snapshot.LastWriteAt);
            foreach (var range in snapshot.OwnedRanges)
            {
                _ownSent[range] = snapshot.LastWriteAt ?? now;
            }

            // A read this soon after the last write (of this process or the one before) may show an older version:
            // then Entra's state is unknown (the first cycle writes) and others' ranges come from the store.
            var trusted = ReadIsTrusted(now);
            _entraKnown = trusted ? location.ToSet() : null;
            if (_settings.Ownership == LocationOwnership.Shared)
            {
                // The grant table is still empty here (restoring comes after the kept ranges, which count against
                // the cap), and the stored owned ranges may lack a range still granted: the memory of sent entries
                // forgets after a quiet while, and a save needs no write (one of two grants of a NAT address
                // revoked). So whatever a stored grant covers is the gate's own, expired ones included (their
                // address must leave now): taken for another writer's, it would stay after every grant ended.
                var stored = CidrSet.Create(snapshot.Grants.Select(grant => grant.Network));

                // An untrusted read may miss what others added lately or still show what they removed: keep both
                // what the store knew and what the read shows (the gate's own recent entries excluded), so nothing
                // of another writer's is deleted on the word of a stale read.
                _kept = _kept.WithForeign(trusted ? ForeignIn(location, stored) : snapshot.ForeignRanges.Concat(ForeignIn(location, stored)));
            }

            // A damaged store may have lost grants: remove nothing from Entra until the host reconciles or flushes,
            // across restarts too (the preserved ranges are stored). What the location no longer holds is not kept:
            // it was removed since (a revocation carved it out, perhaps unsaved, or a person), and keeping means
            // keeping what is there, never putting back.
            var held = location.ToSet();
            var preserved = snapshot.PreservedRanges.Where(held.Contains);
            _kept = _kept.WithPreserved(loaded.IsDamaged
                ? preserved.Concat(location.IpRanges.Where(range => range != _settings.Sentinel))
                : preserved);

            // After the kept ranges: they count against the cap too.
            Restore(snapshot, location.ToSet(), now, expired, removedInEntra);

            // A grant that ended while the gate was down ends as any other: its address leaves what is preserved.
            foreach (var (_, entry) in expired)
            {
                _kept = _kept.WithoutPreserved(entry.Network);
            }
            _version++;
            _storeMetadataDirty = true;
            _nextDriftAt = AddSafely(now, _settings.DriftCheckInterval);
            _started = true;
        }

        foreach (var (grantId, entry) in expired)
        {
            Log.GrantExpired(_logger, Name, grantId, entry.Network, entry.ExpiresAtMs);
        }

        foreach (var (grantId, entry) in removedInEntra)
        {
            Log.GrantRemovedInEntra(_logger, Name, grantId, entry.Network);
        }

        if (expired.Count + removedInEntra.Count > 0)
        {
            // Grants the start ended are saved as ended before any call is served: a revocation that was acknowledged
            // then (it finds nothing to revoke) must already be durable.
            await SaveStoreIfDirtyAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Log.GateStarted(_logger, Name, id, location.DisplayName, _table.Count, expired.Count);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private void Restore(GrantStoreSnapshot snapshot, CidrSet inEntra, DateTimeOffset now, List<(string Id, GrantEntry Entry)> expired, List<(string Id, GrantEntry Entry)> removedInEntra)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var sent = CidrSet.Create(snapshot.WrittenRanges.AsSpan());
        foreach (var stored in snapshot.Grants)
        {
            var entry = new GrantEntry(stored.Network, stored.ExpiresAt.ToUnixTimeMilliseconds(), stored.GrantedAt.ToUnixTimeMilliseconds());
            if (entry.ExpiresAtMs <= nowMs)
            {
                // Expiries missed while the host was down apply at once.
                expired.Add((stored.GrantId, entry));
                continue;
            }

            // Written to Entra once, gone from it now: removed after the store's last save, by a revocation whose save
            // failed or by a person. The store cannot tell which, so it stays out (fail closed); the host's reconcile
            // brings back what is still granted.
            if (sent.Contains(entry.Network) && !inEntra.Contains(entry.Network))
            {
                removedInEntra.Add((stored.GrantId, entry));
                continue;
            }

            if (!_table.Holds(entry.Network) && LocationWrite.Count(_table.GrantedWith(entry.Network), _kept) > _settings.MaxRanges)
            {
                Log.Failure(_logger, new EntraException(EntraErrorCode.CapacityExceeded, $"Stored grant '{Shorten(stored.GrantId)}' ({entry.Network}) no longer fits the cap of {_settings.MaxRanges} ranges and was dropped"));
                continue;
            }

            _table.Set(stored.GrantId, entry);
        }
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
            ? new EntraException(EntraErrorCode.NamedLocationNotFound, $"No named location is called '{Shorten(name)}'")
            : new EntraException(EntraErrorCode.NamedLocationNameAmbiguous, $"{matches.Count} named locations are called '{Shorten(name)}': {string.Join(", ", matches.Select(m => m.Id))}"));
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
                EntraErrorCode.NamedLocationNotManaged,
                $"Location {id} is called '{Shorten(location.DisplayName)}', which fails the guard ({guard})"));
        }

        return location;
    }

    /// <summary>
    /// Others' ranges in a location, as written: every entry that is neither the sentinel, nor one the gate sent as its
    /// own recently, nor inside <paramref name="granted"/> (what it grants now; at the start, what its stored grants
    /// cover). A stale read that still shows a revoked address of the gate's therefore never makes it foreign.
    /// </summary>
    private List<Cidr> ForeignIn(IpNamedLocation location, CidrSet granted)
    {
        // An entry inside what is granted is the gate's too, however long ago it was last sent: a grant can outlive
        // the memory of sent entries when nothing was written for a while.
        return [.. location.IpRanges.Where(range => range != _settings.Sentinel && !_ownSent.ContainsKey(range) && !granted.Contains(range)).Distinct()];
    }

    private EntraException Logged(EntraException error)
    {
        Log.Failure(_logger, error);
        return error;
    }

    private bool ReadIsTrusted(DateTimeOffset now) =>
        _lastWriteAt is not { } last || now >= AddSafely(last, _settings.ReadAfterWriteDelay);

    private GrantStoreSnapshot SnapshotForStore()
    {
        var grants = ImmutableArray.CreateBuilder<StoredGrant>(_table.Count);
        foreach (var (id, entry) in _table)
        {
            var grant = entry.ToGrant(id);
            grants.Add(new StoredGrant(id, grant.Network, grant.ExpiresAt, grant.GrantedAt));
        }

        return new GrantStoreSnapshot
        {
            Grants = grants.MoveToImmutable(),
            OwnedRanges = [.. _ownSent.Keys],
            WrittenRanges = _writtenOwn,
            ForeignRanges = _kept.Foreign,
            PreservedRanges = _kept.Preserved,
            LastWriteAt = _lastWriteAt,
        };
    }

    /// <summary>Saves the state if it changed since the last save.</summary>
    /// <returns>False when the save failed: the store is behind the gate (<see cref="_storeError"/> says why).</returns>
    private async Task<bool> SaveStoreIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return true;
        }

        GrantStoreSnapshot snapshot;
        long version;
        lock (_lock)
        {
            if (_savedVersion == _version && !_storeMetadataDirty)
            {
                _saveRetryAt = null;
                return _storeError is null;
            }

            version = _version;
            snapshot = SnapshotForStore();
            _storeMetadataDirty = false;
        }

        try
        {
            await _store.SaveAsync(snapshot, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _savedVersion = Math.Max(_savedVersion, version);
                _saveRetryAt = null;
                _storeError = null;
                _unsaved.Saved(version);
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
                // Tried again on its own schedule too: a revocation already in Entra but not in the store would come
                // back after a crash.
                _storeMetadataDirty = true;
                _saveRetryAt = _time.GetUtcNow() + _settings.RetryBaseDelay;
                _storeError = new EntraException(EntraErrorCode.GrantStoreUnwritable, $"The grant store could not be saved: {error.GetType().Name}", error);
            }

            GateMetrics.Failed(this, EntraErrorCode.GrantStoreUnwritable);
            Log.StoreSaveFailed(_logger, Name, error);
            return false;
        }
    }

    private static DateTimeOffset AddSafely(DateTimeOffset at, TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || DateTimeOffset.MaxValue - at < span ? DateTimeOffset.MaxValue : at + span;
}
