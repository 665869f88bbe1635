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
            if (_started)
            {
                return;
            }

            try
            {
                await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (EntraException error)
            {
                // Graph's failures were logged by the client under their codes; the gate's own where they arose.
                GateMetrics.Failed(this, error.Code);
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
        var loaded = _store is null
            ? new GrantStoreLoadResult(GrantStoreSnapshot.Empty, [])
            : await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
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
        lock (_lock)
        {
            _locationId = id;
            _displayName = location.DisplayName;
            _storeProblems = loaded.Problems;
            var now = _time.GetUtcNow();
            var snapshot = loaded.Snapshot;
            Restore(snapshot, now, expired);

            _ownWritten = snapshot.OwnedRanges;
            _lastWriteAt = snapshot.LastWriteAt;

            // A read this soon after the last write (of this process or the one before) may show an older version:
            // then Entra's state is unknown (the first cycle writes) and others' ranges come from the store.
            var trusted = ReadIsTrusted(now);
            var remote = location.ToSet();
            _entraKnown = trusted ? remote : null;
            if (_settings.Ownership == LocationOwnership.Shared)
            {
                SetForeign(trusted ? ForeignIn(location) : CidrSet.Create(snapshot.ForeignRanges.AsSpan()));
            }

            // A damaged store may have lost grants: remove nothing from Entra until the host reconciles or flushes.
            if (loaded.IsDamaged)
            {
                SetPreserved(remote.Except(CidrSet.Create(_settings.Sentinel)));
            }

            _version++;
            _nextDriftAt = AddSafely(now, _settings.DriftCheckInterval);
            _started = true;
        }

        foreach (var (grantId, entry) in expired)
        {
            Log.GrantExpired(_logger, Name, grantId, entry.Network, entry.ExpiresAtMs);
        }

        Log.GateStarted(_logger, Name, id, location.DisplayName, _table.Count, expired.Count);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    private void Restore(GrantStoreSnapshot snapshot, DateTimeOffset now, List<(string Id, GrantEntry Entry)> expired)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var stored in snapshot.Grants)
        {
            var entry = new GrantEntry(stored.Network, stored.ExpiresAt.ToUnixTimeMilliseconds(), stored.GrantedAt.ToUnixTimeMilliseconds());
            if (entry.ExpiresAtMs <= nowMs)
            {
                // Expiries missed while the host was down apply at once.
                expired.Add((stored.GrantId, entry));
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
        var location = await _client.GetIpAsync(id, cancellationToken).ConfigureAwait(false);
        if (_settings.NameGuard is { } guard && !guard.Allows(location.DisplayName))
        {
            throw Logged(new EntraException(
                EntraErrorCode.NamedLocationNotManaged,
                $"Location {id} is called '{Shorten(location.DisplayName)}', which fails the guard ({guard})"));
        }

        return location;
    }

    /// <summary>Others' ranges in a location: every entry that is neither one the gate wrote as its own nor the sentinel.</summary>
    private CidrSet ForeignIn(IpNamedLocation location)
    {
        var own = _ownWritten.ToHashSet();
        var foreign = new CidrSetBuilder();
        foreach (var range in location.IpRanges)
        {
            if (range != _settings.Sentinel && !own.Contains(range))
            {
                foreign.Add(range);
            }
        }

        return foreign.ToSet();
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
            OwnedRanges = _ownWritten,
            ForeignRanges = _foreign.ToCidrs(),
            LastWriteAt = _lastWriteAt,
        };
    }

    private async Task SaveStoreIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        GrantStoreSnapshot snapshot;
        long version;
        lock (_lock)
        {
            if (_savedVersion == _version && !_storeMetadataDirty)
            {
                return;
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
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or EntraException)
        {
            // Entra stays the priority: the write goes ahead, the save is tried again with the next change.
            lock (_lock)
            {
                _storeMetadataDirty = true;
            }

            GateMetrics.Failed(this, EntraErrorCode.GrantStoreDamaged);
            Log.StoreSaveFailed(_logger, Name, error);
        }
    }

    private static DateTimeOffset AddSafely(DateTimeOffset at, TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || DateTimeOffset.MaxValue - at < span ? DateTimeOffset.MaxValue : at + span;
}
