using System.Collections.Immutable;
using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.GrantStores;
using Knocknoc.Entra.Sdk.Grants;
using Knocknoc.Entra.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Knocknoc.Entra.Sdk.Gate;

/// <summary>
/// The SDK's engine: grants in memory (and in the store), one write loop per location that turns them into the
/// fewest PATCH requests Graph's rate limit allows. Build it with <see cref="Create(NamedLocationGateOptions)"/>, or
/// through <c>services.AddNamedLocationGate(...)</c>.
/// </summary>
public sealed partial class NamedLocationGate : INamedLocationGate, IMeteredGate
{
    private const int MaxGrantIdLength = 1024;

    private readonly Settings _settings;
    private readonly INamedLocationClient _client;
    private readonly IDisposable? _ownedClient;
    private readonly TenantRateLimiter? _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IGrantStore? _store;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly GrantTable _table = new();
    private readonly UnsavedGrants _unsaved = new();
    private readonly List<Waiter> _waiters = [];
    // Never disposed: it creates no wait handle, and disposing it would strand a caller queued for the start.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "No wait handle is ever created; disposing would strand queued callers.")]
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    // Every accepted change bumps the version; a write of the state at version v settles every call waiting on v or less.
    private long _version;
    private long _confirmedVersion = -1;
    private long _savedVersion = -1;
    private bool _storeMetadataDirty;

    private string? _locationId;
    private string? _displayName;
    private KeptRanges _kept = KeptRanges.None;

    // The gate's own entries of its recent writes (attempted ones included) and when they were last sent: a read
    // that still shows one, even stale, never makes it someone else's range.
    private readonly Dictionary<Cidr, DateTimeOffset> _ownSent = [];
    private DateTimeOffset? _newestModifiedSeen;
    private CidrSet? _entraKnown;
    private DateTimeOffset? _lastWriteAt;
    private long _writeCount;
    private EntraException? _lastError;
    private IReadOnlyList<string> _storeProblems = [];
    private EntraException? _storeError;

    // The gate's own entries as of its last confirmed write, stored exactly: at a start they tell a grant that was in
    // Entra (and so was removed if Entra lacks it now) from one that never was written.
    private ImmutableArray<Cidr> _writtenOwn = [];

    private TaskCompletionSource _wake = NewSignal();
    private Task? _loop;
    private Task? _disposal;
    private volatile bool _started;
    private bool _disposed;

    private NamedLocationGate(NamedLocationGateOptions options, INamedLocationClient client, IDisposable? ownedClient, TenantRateLimiter? limiter)
    {
        _settings = new Settings(options);
        _client = client;
        _ownedClient = ownedClient;
        _limiter = limiter;
        _time = options.TimeProvider;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NamedLocationGate>();
        _store = options.Store;
        _random = options.Random ?? Random.Shared;
        _locationId = options.LocationId;
        GateMetrics.Track(this);
    }

    /// <inheritdoc/>
    public string Name => _settings.Name;

    /// <summary>Builds a gate with the SDK's own Graph client (MSAL tokens, per-tenant pacing, retries).</summary>
    /// <param name="options">The options; validated here.</param>
    /// <returns>The gate, not started yet: call <see cref="StartAsync"/> (or any operation, which starts it).</returns>
    /// <exception cref="ArgumentException">The options are incomplete or out of range; the message lists every problem.</exception>
    public static NamedLocationGate Create(NamedLocationGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options, needsGraphAccess: true);
        var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = options.Credential,
            TokenSource = options.TokenSource,
            Cloud = options.Cloud,
            Resilience = options.Resilience,
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
            Transport = options.Transport,
        });
        return new NamedLocationGate(options, client, client, client.Limiter);
    }

    /// <summary>Builds a gate over a Graph client of your own (a decorated client, a fake in tests).</summary>
    /// <param name="options">The options; validated here (a credential is not needed).</param>
    /// <param name="client">The client; not disposed with the gate.</param>
    /// <returns>The gate, not started yet.</returns>
    /// <exception cref="ArgumentException">The options are incomplete or out of range.</exception>
    public static NamedLocationGate Create(NamedLocationGateOptions options, INamedLocationClient client)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfInvalid(options, needsGraphAccess: false);
        return new NamedLocationGate(options, client, ownedClient: null, client.Pacing);
    }

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, string address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ValidateGrantId(grantId);
        ArgumentNullException.ThrowIfNull(address);
        return GrantCoreAsync(grantId, policy => policy.GetGrantNetwork(address), expiresAt, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, IPAddress address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ValidateGrantId(grantId);
        ArgumentNullException.ThrowIfNull(address);
        return GrantCoreAsync(grantId, policy => policy.GetGrantNetwork(address), expiresAt, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RevokeResult> RevokeAsync(string grantId, CancellationToken cancellationToken = default)
    {
        ValidateGrantId(grantId);
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        Cidr network;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_table.Remove(grantId, out var entry))
            {
                // Revoking what is gone is a no-op: nothing of this call's to wait for. But while the store is behind,
                // it may still hold the grant (a revocation whose save failed): the caller must not take it as durable.
                ThrowIfStoreBehind();
                return RevokeResult.NotFound;
            }

            network = entry.Network;
            Ended(grantId, network);
            _version++;
            Log.GrantRevoked(_logger, Name, grantId, network);
            waiter = AddWaiter(isGrant: false);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return WhatStillAllows(grantId, network);
    }

    /// <inheritdoc/>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        int count;
        lock (_lock)
        {
            ThrowIfDisposed();
            count = _table.Count;
            if (count == 0 && _kept.Preserved.IsEmpty)
            {
                ThrowIfStoreBehind();
                return 0;
            }

            foreach (var (id, entry) in _table)
            {
                Log.GrantRevoked(_logger, Name, id, entry.Network);
            }

            _table.Clear();
            _unsaved.Clear();
            _kept = _kept.WithPreserved([]);
            _version++;
            Log.GrantsFlushed(_logger, Name, count);
            waiter = AddWaiter(isGrant: false);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(IEnumerable<GrantRequest> grants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var requests = grants.ToList();
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(grants));
            ValidateGrantId(request.GrantId);
        }

        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        var refused = ImmutableArray.CreateBuilder<RefusedGrant>();
        int added = 0, updated = 0, unchanged = 0, removed = 0;
        lock (_lock)
        {
            ThrowIfDisposed();
            var now = _time.GetUtcNow();

            // Check every request first. A refused one is reported and its id ends (fail closed): the host's truth
            // has no valid grant for it, so an older grant of that id must not linger.
            var wanted = new Dictionary<string, (GrantRequest Request, Cidr Network)>(StringComparer.Ordinal);
            var refusedIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in requests)
            {
                try
                {
                    var network = CheckedNetwork(_settings.AddressPolicy.GetGrantNetwork(request.Address));
                    CheckExpiry(request.GrantId, request.ExpiresAt, now);
                    wanted[request.GrantId] = (request, network);
                }
                catch (EntraException error)
                {
                    refusedIds.Add(request.GrantId);
                    refused.Add(new RefusedGrant(request, error));
                    GateMetrics.Failed(this, error.Code);
                }
            }

            // Whatever the order of duplicates, an id with a refused request ends.
            foreach (var id in refusedIds)
            {
                wanted.Remove(id);
            }

            var gone = new List<string>();
            foreach (var (id, _) in _table)
            {
                if (!wanted.ContainsKey(id))
                {
                    gone.Add(id);
                }
            }

            foreach (var id in gone)
            {
                _table.Remove(id, out var entry);
                _unsaved.Ended(id);
                Log.GrantRevoked(_logger, Name, id, entry.Network);
                removed++;
            }

            // The host's truth replaces whatever a damaged store made the gate keep.
            _kept = _kept.WithPreserved([]);

            // When the whole list fits, its grants are admitted together: one by one, a half-filled block could
            // cost more ranges on the way than at the end.
            var fitsWhole = LocationWrite.Count(CidrSet.Create(wanted.Values.Select(w => w.Network)), _kept) <= _settings.MaxRanges;
            foreach (var (request, network) in wanted.Values)
            {
                try
                {
                    var outcome = ApplyGrant(request.GrantId, network, request.ExpiresAt, now, checkCapacity: !fitsWhole);
                    _ = outcome switch
                    {
                        GrantOutcome.Added => added++,
                        GrantOutcome.Moved => updated++,
                        _ => unchanged++,
                    };
                }
                catch (EntraException error)
                {
                    refused.Add(new RefusedGrant(request, error));
                    GateMetrics.Failed(this, error.Code);
                    if (_table.Remove(request.GrantId, out var entry))
                    {
                        _unsaved.Ended(request.GrantId);
                        Log.GrantRevoked(_logger, Name, request.GrantId, entry.Network);
                        removed++;
                    }
                }
            }

            _version++;
            Log.Reconciled(_logger, Name, added, updated, unchanged, removed, refused.Count);
            waiter = AddWaiter(isGrant: added + updated > 0);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return new ReconcileResult(added, updated, unchanged, removed, refused.ToImmutable());
    }

    /// <inheritdoc/>
    public NamedLocationGateState GetState()
    {
        lock (_lock)
        {
            var grants = ImmutableArray.CreateBuilder<Grant>(_table.Count);
            foreach (var (id, entry) in _table)
            {
                grants.Add(entry.ToGrant(id));
            }

            grants.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            var desired = Desired();
            return new NamedLocationGateState
            {
                Name = Name,
                IsStarted = _started,
                LocationId = _locationId,
                LocationDisplayName = _displayName,
                Grants = grants.MoveToImmutable(),
                GrantedRanges = _table.Granted.ToCidrs(),
                DesiredRanges = desired.Ranges,
                EntraRanges = _entraKnown,
                Pending = _entraKnown is { } known ? CidrSet.Diff(known, desired.ToSet()) : null,
                KeptRanges = _kept.List,
                WaitingCalls = _waiters.Count,
                WriteCount = _writeCount,
                LastWriteAt = _lastWriteAt,
                LastError = _lastError ?? _storeError,
                StoreError = _storeError,
                StoreProblems = _storeProblems,
            };
        }
    }

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
            return (_table.Count, _table.NetworkCount, _entraKnown?.CidrCount ?? 0);
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
                SettleWaiters(long.MaxValue, grantsOnly: false, waiter => waiter.Completion.TrySetException(stopped));
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

    private static void ThrowIfInvalid(NamedLocationGateOptions options, bool needsGraphAccess)
    {
        var problems = options.Validate(needsGraphAccess);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The gate options are not usable: " + string.Join(" ", problems), nameof(options));
        }
    }

    private static void ValidateGrantId(string grantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grantId);
        if (grantId.Length > MaxGrantIdLength)
        {
            throw new ArgumentException($"A grant id is at most {MaxGrantIdLength} characters.", nameof(grantId));
        }

        // A lone surrogate cannot be stored (or logged) unchanged: refuse it here, not when the store is saved.
        var text = grantId.AsSpan();
        while (text.IndexOfAnyInRange('\uD800', '\uDFFF') is var surrogate and >= 0)
        {
            if (System.Text.Rune.DecodeFromUtf16(text[surrogate..], out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException("A grant id must be valid Unicode text.", nameof(grantId));
            }

            text = text[(surrogate + used)..];
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<Grant> GrantCoreAsync(string grantId, Func<GrantAddressPolicy, Cidr> network, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Cidr checkedNetwork;
        try
        {
            checkedNetwork = CheckedNetwork(network(_settings.AddressPolicy));
        }
        catch (EntraException error)
        {
            Refused(error);
            throw;
        }

        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        Grant grant;
        lock (_lock)
        {
            ThrowIfDisposed();
            GrantOutcome outcome;
            try
            {
                CheckExpiry(grantId, expiresAt, _time.GetUtcNow());
                outcome = ApplyGrant(grantId, checkedNetwork, expiresAt, _time.GetUtcNow());
            }
            catch (EntraException error)
            {
                Refused(error);
                throw;
            }

            _table.TryGet(grantId, out var entry);
            grant = entry.ToGrant(grantId);

            // Granting exactly what is granted waits only if its network is not known to be in Entra yet.
            if (outcome == GrantOutcome.Unchanged && _entraKnown is { } known && known.Contains(checkedNetwork))
            {
                return grant;
            }

            waiter = AddWaiter(isGrant: outcome != GrantOutcome.Unchanged);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return grant;
    }

    private void Refused(EntraException error)
    {
        GateMetrics.Failed(this, error.Code);
        Log.Failure(_logger, error);
    }

    private enum GrantOutcome
    {
        Unchanged,
        Added,
        Moved,
    }

    /// <summary>Records one grant under the lock, or throws ENTRA058/059 having changed nothing.</summary>
    private GrantOutcome ApplyGrant(string grantId, Cidr network, DateTimeOffset expiresAt, DateTimeOffset now, bool checkCapacity = true)
    {
        var expiresAtMs = expiresAt.ToUnixTimeMilliseconds();
        var nowMs = now.ToUnixTimeMilliseconds();

        var exists = _table.TryGet(grantId, out var previous);
        if (exists && previous.Network == network && previous.ExpiresAtMs == expiresAtMs)
        {
            return GrantOutcome.Unchanged;
        }

        // A new network can add ranges; a move can too, since the old network leaving may split a range.
        if (checkCapacity && (!_table.Holds(network) || (exists && previous.Network != network)))
        {
            var needed = LocationWrite.Count(_table.GrantedIfMoved(grantId, network), _kept);
            if (needed > _settings.MaxRanges)
            {
                throw new EntraException(
                    EntraErrorCode.CapacityExceeded,
                    $"Granting {network} would need {needed} ranges in the location; the cap is {_settings.MaxRanges}");
            }
        }

        _table.Set(grantId, new GrantEntry(network, expiresAtMs, exists ? previous.GrantedAtMs : nowMs));
        _version++;
        _unsaved.Granted(grantId, exists ? previous : null, _version);
        if (exists)
        {
            Log.GrantMoved(_logger, Name, grantId, previous.Network, network, expiresAt);
            return GrantOutcome.Moved;
        }

        Log.GrantAdded(_logger, Name, grantId, network, expiresAt);
        return GrantOutcome.Added;
    }

    private static void CheckExpiry(string grantId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt.ToUnixTimeMilliseconds() <= now.ToUnixTimeMilliseconds())
        {
            throw new EntraException(EntraErrorCode.GrantRefused, $"The expiry {expiresAt:O} of grant '{Shorten(grantId)}' is not in the future");
        }
    }

    private Cidr CheckedNetwork(Cidr network)
    {
        if (network.Contains(_settings.Sentinel) || _settings.Sentinel.Contains(network))
        {
            throw new EntraException(EntraErrorCode.GrantRefused, $"{network} overlaps the location's sentinel {_settings.Sentinel}, which is never a grant");
        }

        return network;
    }

    /// <summary>Notes under the lock that a grant ended: never undone, and its address leaves what a damaged store kept.</summary>
    private void Ended(string grantId, Cidr network)
    {
        _unsaved.Ended(grantId);
        _kept = _kept.WithoutPreserved(network);
    }

    /// <summary>
    /// What still allows <paramref name="network"/> now that its grant's removal is in Entra: the gate's other grants that
    /// hold some of it, and the kept entries (others' ranges, what a damaged store left) that cover some of it. Read
    /// after the write, so a grant of the same address that arrived meanwhile is named too: the caller learns what Entra
    /// holds, not what it held an instant ago.
    /// </summary>
    private RevokeResult WhatStillAllows(string grantId, Cidr network)
    {
        lock (_lock)
        {
            var holders = ImmutableArray<string>.Empty;
            if (_table.Granted.Overlaps(network))
            {
                // Only a shared address pays for the scan; the usual revocation is one binary search.
                var builder = ImmutableArray.CreateBuilder<string>();
                foreach (var (id, entry) in _table)
                {
                    if (entry.Network.Overlaps(network))
                    {
                        builder.Add(id);
                    }
                }

                builder.Sort(StringComparer.Ordinal);
                holders = builder.ToImmutable();
            }

            var kept = _kept.Coverage.Overlaps(network)
                ? [.. _kept.List.Where(range => range.Overlaps(network))]
                : ImmutableArray<Cidr>.Empty;
            var result = RevokeResult.Ended(network, holders, kept);
            if (!result.AddressRemoved)
            {
                Log.RevokedAddressStays(_logger, Name, grantId, network, holders.Length, kept.Length);
            }

            return result;
        }
    }

    private static string Shorten(string text) => ShownText.Of(text);

    private Waiter AddWaiter(bool isGrant)
    {
        var waiter = new Waiter(_version, isGrant, _time.GetTimestamp());
        if (_version <= _confirmedVersion)
        {
            // Nothing this call did (or is waiting on) is unwritten: Entra already holds it.
            waiter.Completion.TrySetResult();
            return waiter;
        }

        _waiters.Add(waiter);
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
                _waiters.Remove(waiter);
            }

            throw;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ThrowIfStoreBehind()
    {
        if (_storeError is { } error)
        {
            throw new EntraException(error.Code, "Nothing is left to remove, but the grant store is behind and may still hold it: " + error.Message, error.InnerException);
        }
    }

    private LocationWrite Desired() => LocationWrite.Compose(_table.Granted, _kept, _settings.Sentinel);

    /// <summary>A call waiting for the write of the state at <see cref="Version"/>.</summary>
    private sealed class Waiter(long version, bool isGrant, long calledAt)
    {
        public long Version { get; } = version;

        /// <summary>Gets a value indicating whether the call grants (its latency is measured; a shortfall fails it).</summary>
        public bool IsGrant { get; } = isGrant;

        public long CalledAt { get; } = calledAt;

        public TaskCompletionSource Completion { get; } = NewSignal();
    }

    /// <summary>The options' values, copied at creation so a later change to the options object cannot race the loop.</summary>
    private sealed class Settings(NamedLocationGateOptions options)
    {
        public string Name { get; } = options.Name;

        public string? LocationDisplayName { get; } = options.LocationDisplayName;

        public LocationNameGuard? NameGuard { get; } = options.NameGuard;

        public LocationOwnership Ownership { get; } = options.Ownership;

        public Cidr Sentinel { get; } = options.Sentinel;

        public int MaxRanges { get; } = options.MaxRanges;

        public GrantAddressPolicy AddressPolicy { get; } = options.AddressPolicy;

        public TimeSpan CoalescingWindow { get; } = options.CoalescingWindow;

        public TimeSpan ReadAfterWriteDelay { get; } = options.ReadAfterWriteDelay;

        public TimeSpan DriftCheckInterval { get; } = options.DriftCheckInterval;

        public bool VerifyWrites { get; } = options.VerifyWrites;

        public TimeSpan RetryBaseDelay { get; } = options.RetryBaseDelay;

        public TimeSpan RetryMaxDelay { get; } = options.RetryMaxDelay;

        /// <summary>Gets how long a sent write may still land: Graph's attempt timeout, after which the client gave up on it.</summary>
        public TimeSpan InFlightHorizon { get; } = options.Resilience.AttemptTimeout;
    }
}
