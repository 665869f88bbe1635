using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The SDK's engine: grants in memory (and in the store), one write loop per location that turns them into the
/// fewest PATCH requests Graph's rate limit allows. Build it with <see cref="Create(NamedLocationGateOptions)"/>, or
/// through <c>services.AddNamedLocationGate(...)</c>.
/// </summary>
/// <remarks>
/// The gate is the driver around a pure <see cref="GateCore"/> that decides everything: this class holds the one lock,
/// owns the loop, and carries the core's decisions out through the Graph client, the store and the clock.
/// </remarks>
public sealed partial class NamedLocationGate : INamedLocationGate, IMeteredGate
{
    private readonly GateSettings _settings;
    private readonly GateCore _core;
    private readonly INamedLocationClient _client;
    private readonly IDisposable? _ownedClient;
    private readonly TenantRateLimiter? _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IGrantStore? _store;
    private readonly EntraEventObserver? _events;
    private readonly Random _random;
    private readonly Lock _lock = new();
    // Never disposed: it creates no wait handle, and disposing it would strand a caller queued for the start.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "No wait handle is ever created; disposing would strand queued callers.")]
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource? _driftRequested;
    private Task? _loop;
    private Task? _disposal;
    private volatile bool _started;
    private bool _disposed;

    private NamedLocationGate(NamedLocationGateOptions options, INamedLocationClient client, IDisposable? ownedClient, TenantRateLimiter? limiter)
    {
        _settings = new GateSettings(options);
        _core = new GateCore(_settings) { LocationId = options.LocationId };
        _client = client;
        _ownedClient = ownedClient;
        _limiter = limiter;
        _time = options.TimeProvider;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NamedLocationGate>();
        _store = options.Store;
        _events = options.Events;
        _random = options.Random ?? Random.Shared;
        _sessions = SessionRevokerFor(options, client);
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
            Events = options.Events,
            Transport = options.Transport,
            TrustedRootCertificates = options.TrustedRootCertificates,
            TransportHasGraphPipeline = options.Transport is not null && ReferenceEquals(options.Transport, options.GateClientHandler),
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
        GrantIds.Validate(grantId);
        ArgumentNullException.ThrowIfNull(address);
        return TracedAsync(GateTracing.Grant, () => GrantCoreAsync(grantId, policy => policy.GetGrantNetwork(address), expiresAt, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, IPAddress address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        GrantIds.Validate(grantId);
        ArgumentNullException.ThrowIfNull(address);
        return TracedAsync(GateTracing.Grant, () => GrantCoreAsync(grantId, policy => policy.GetGrantNetwork(address), expiresAt, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<RevokeResult> RevokeAsync(string grantId, CancellationToken cancellationToken = default)
    {
        GrantIds.Validate(grantId);
        return TracedAsync(GateTracing.Revoke, () => RevokeCoreAsync(grantId, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<int> FlushAsync(CancellationToken cancellationToken = default) =>
        TracedAsync(GateTracing.Flush, () => FlushCoreAsync(cancellationToken));

    /// <inheritdoc/>
    public Task<ReconcileResult> ReconcileAsync(IEnumerable<GrantRequest> grants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var requests = grants.ToList();
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(grants));
            GrantIds.Validate(request.GrantId);
        }

        return TracedAsync(GateTracing.Reconcile, () => ReconcileCoreAsync(requests, cancellationToken));
    }

    /// <inheritdoc/>
    public NamedLocationGateState GetState()
    {
        lock (_lock)
        {
            return _core.State(Name, _started);
        }
    }

    private async Task<RevokeResult> RevokeCoreAsync(string grantId, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        Cidr network;
        lock (_lock)
        {
            ThrowIfDisposed();
            if (_core.Revoke(grantId) is not { } entry)
            {
                // Revoking what is gone is a no-op: nothing of this call's to wait for. But while the store is behind,
                // it may still hold the grant (a revocation whose save failed): the caller must not take it as durable.
                ThrowIfStoreBehind();
                return RevokeResult.NotFound;
            }

            network = entry.Network;
            Audit(_core.TakeAudit());
            waiter = AddWaiter(isGrant: false);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            // Asked after the write: the caller learns what Entra holds, not what it held an instant ago.
            var result = _core.WhatStillAllows(network);
            if (!result.AddressRemoved)
            {
                Log.RevokedAddressStays(_logger, Name, grantId, network, result.StillGrantedTo.Length, result.StillAllowedBy.Length);
            }

            return result;
        }
    }

    private async Task<int> FlushCoreAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        int count;
        lock (_lock)
        {
            ThrowIfDisposed();
            count = _core.Flush();
            if (count < 0)
            {
                ThrowIfStoreBehind();
                return 0;
            }

            Audit(_core.TakeAudit());
            Log.GrantsFlushed(_logger, Name, count);
            waiter = AddWaiter(isGrant: false);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return count;
    }

    private async Task<ReconcileResult> ReconcileCoreAsync(List<GrantRequest> requests, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        Waiter waiter;
        ReconcileResult result;
        lock (_lock)
        {
            ThrowIfDisposed();
            (result, var granted) = _core.Reconcile(requests, _time.GetUtcNow());
            foreach (var refused in result.Refused)
            {
                GateMetrics.Failed(this, refused.Error.Code);
            }

            Audit(_core.TakeAudit());
            Log.Reconciled(_logger, Name, result.Added, result.Updated, result.Unchanged, result.Removed, result.Refused.Length);
            waiter = AddWaiter(isGrant: granted);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<Grant> GrantCoreAsync(string grantId, Func<GrantAddressPolicy, Cidr> network, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Cidr checkedNetwork;
        try
        {
            checkedNetwork = _core.CheckNetwork(network(_settings.AddressPolicy));
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
            bool mustWait;
            try
            {
                (outcome, var entry, mustWait) = _core.Grant(grantId, checkedNetwork, expiresAt, _time.GetUtcNow());
                grant = entry.ToGrant(grantId);
            }
            catch (EntraException error)
            {
                Refused(error);
                throw;
            }

            Audit(_core.TakeAudit());

            // Granting exactly what is granted waits only if its network is not known to be in Entra yet.
            if (!mustWait)
            {
                return grant;
            }

            waiter = AddWaiter(isGrant: outcome != GrantOutcome.Unchanged);
        }

        await WaitForWriteAsync(waiter, cancellationToken).ConfigureAwait(false);
        return grant;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ThrowIfStoreBehind()
    {
        if (_core.Store.Error is { } error)
        {
            throw new EntraException(error.Code, "Nothing is left to remove, but the grant store is behind and may still hold it: " + error.Message, error.InnerException);
        }
    }
}
