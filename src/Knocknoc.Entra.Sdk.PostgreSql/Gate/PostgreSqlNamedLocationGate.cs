using System.Net;
using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.PostgreSql.Election;
using Knocknoc.Entra.Sdk.PostgreSql.Schema;
using Knocknoc.Entra.Sdk.PostgreSql.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// A gate whose grants live in PostgreSQL, shared by every agent of the location: any number of these, in any
/// number of processes or machines, on one database and one location, act as one gate. Each call stores its change
/// in the table and returns once the location's writer confirms Entra holds it. Exactly one agent per location is
/// the writer, by a lease on the location's row with a fencing generation; only the writer calls Graph, through a
/// <see cref="NamedLocationGate"/> of its own that it keeps equal to the table.
/// </summary>
/// <remarks>
/// With the database unreachable, calls fail with ENTRA063 (transient) and change nothing; the writer keeps its gate
/// (expiries it knows still reach Entra) until its lease runs out by its own clock, then stops writing. See
/// docs/high-availability.md for the bounds.
/// </remarks>
public sealed partial class PostgreSqlNamedLocationGate : INamedLocationGate
{
    private readonly PostgreSqlGateOptions _options;
    private readonly NamedLocationGateOptions _gate;
    private readonly SharedGrantTable _table;
    private readonly WriterLease _lease;
    private readonly VersionWaiters _waiters = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "No wait handle is ever created.")]
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private Task? _agent;
    private TaskCompletionSource _firstLeaseStep = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _started;
    private bool _disposed;

    private PostgreSqlNamedLocationGate(PostgreSqlGateOptions options)
    {
        _options = options;
        _gate = options.Gate;
        _time = _gate.TimeProvider;
        _logger = (_gate.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgreSqlNamedLocationGate>();
        AgentName = options.AgentName ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
        LocationKey = options.LocationKey ?? _gate.LocationId!;
        _table = new SharedGrantTable(options.DataSource!, LocationKey, AgentName);
        _lease = new WriterLease(options.DataSource!, LocationKey, AgentName, options.LeaseDuration, options.LeaseClock);
    }

    /// <inheritdoc/>
    public string Name => _gate.Name;

    /// <summary>Gets this agent's name in the table (the <c>granted_by</c> and <c>writer</c> columns).</summary>
    public string AgentName { get; }

    /// <summary>Gets the key of the location's rows in the database.</summary>
    public string LocationKey { get; }

    /// <summary>Gets a value indicating whether this agent is the location's writer now (by its own clock).</summary>
    public bool IsWriter => _writer is not null && _hold is { } hold && _lease.IsValid(hold);

    /// <summary>Gets the fencing generation of this agent's lease while it is the writer, else null.</summary>
    public long? WriterGeneration => _writer?.Generation;

    /// <summary>Builds a gate on the shared table; nothing is read or written before the first call.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <returns>The gate, not started yet.</returns>
    /// <exception cref="ArgumentException">The options are incomplete or out of range; the message lists every problem.</exception>
    public static PostgreSqlNamedLocationGate Create(PostgreSqlGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().Concat(options.Gate?.Validate(needsGraphAccess: options.Client is null) ?? []).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The PostgreSQL gate options are not usable: " + string.Join(" ", problems), nameof(options));
        }

        return new PostgreSqlNamedLocationGate(options);
    }

    /// <inheritdoc/>
    /// <remarks>Creates or migrates the schema, adds the location's row, and starts the agent: it becomes the writer if no live one holds the lease.</remarks>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            return;
        }

        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            await Database(async () =>
            {
                await SchemaMigrator.EnsureAsync(_options.DataSource!, cancellationToken).ConfigureAwait(false);
                await _table.EnsureLocationAsync(cancellationToken).ConfigureAwait(false);
                _waiters.Observe(await _table.ReadLocationAsync(cancellationToken).ConfigureAwait(false));
            }).ConfigureAwait(false);
            _agent = Task.Run(() => RunAgentAsync(_stopping.Token), CancellationToken.None);
            await _firstLeaseStep.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            _started = true;
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, IPAddress address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        GrantIds.Validate(grantId);
        return GrantNetworkAsync(grantId, _gate.AddressPolicy.GetGrantNetwork(address), expiresAt, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, string address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        GrantIds.Validate(grantId);
        return GrantNetworkAsync(grantId, _gate.AddressPolicy.GetGrantNetwork(address), expiresAt, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RevokeResult> RevokeAsync(string grantId, CancellationToken cancellationToken = default)
    {
        GrantIds.Validate(grantId);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var (version, network, still) = await Database(() => _table.RevokeAsync(grantId, _time.GetUtcNow(), cancellationToken)).ConfigureAwait(false);
        if (version is not { } changed || network is not { } ended)
        {
            return RevokeResult.NotFound;
        }

        await WaitForWriterAsync(changed, cancellationToken).ConfigureAwait(false);
        return RevokeResult.Ended(ended, still, []);
    }

    /// <inheritdoc/>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var (version, ended) = await Database(() => _table.FlushAsync(_time.GetUtcNow(), cancellationToken)).ConfigureAwait(false);
        await WaitForWriterAsync(version, cancellationToken).ConfigureAwait(false);
        return ended;
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(IEnumerable<GrantRequest> grants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var requests = grants.ToList();
        var now = _time.GetUtcNow();
        var wanted = new Dictionary<string, (Cidr, DateTimeOffset)>(StringComparer.Ordinal);
        var refused = ImmutableArray.CreateBuilder<RefusedGrant>();
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(grants));
            GrantIds.Validate(request.GrantId);
            try
            {
                wanted[request.GrantId] = (_gate.AddressPolicy.GetGrantNetwork(request.Address), CheckExpiry(request.ExpiresAt, now));
            }
            catch (EntraException error)
            {
                refused.Add(new RefusedGrant(request, error));
            }
        }

        // As the SDK's gate does: an id with a refused request ends, whatever the order of duplicates.
        foreach (var refusal in refused)
        {
            wanted.Remove(refusal.Request.GrantId);
        }

        await StartAsync(cancellationToken).ConfigureAwait(false);
        var (version, added, updated, unchanged, removed) = await Database(() => _table.ReplaceAsync(wanted, now, cancellationToken)).ConfigureAwait(false);
        await WaitForWriterAsync(version, cancellationToken).ConfigureAwait(false);
        return new ReconcileResult(added, updated, unchanged, removed, refused.ToImmutable());
    }

    /// <inheritdoc/>
    /// <remarks>On the writer, its gate checks Entra now; on another agent, the call waits until the writer holds the table's latest version.</remarks>
    public async Task CheckDriftAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_writer is { } writer)
        {
            await writer.Gate.CheckDriftAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var row = await Database(() => _table.ReadLocationAsync(cancellationToken)).ConfigureAwait(false);
        await WaitForWriterAsync(row.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>On the writer, its gate's state; on another agent, only the name, the location and the calls waiting.</remarks>
    public NamedLocationGateState GetState() =>
        _writer?.Gate.GetState() is { } state
            ? state with { Name = Name, WaitingCalls = state.WaitingCalls + _waiters.Count }
            : new NamedLocationGateState { Name = Name, IsStarted = _started, LocationId = _gate.LocationId, WaitingCalls = _waiters.Count };

    private static DateTimeOffset CheckExpiry(DateTimeOffset expiresAt, DateTimeOffset now) =>
        expiresAt > now ? expiresAt : throw new EntraException(EntraErrorCode.GrantRefused, "The grant's expiry is not in the future.");

    private async Task<Grant> GrantNetworkAsync(string grantId, Cidr network, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (network.Overlaps(_gate.Sentinel))
        {
            throw new EntraException(EntraErrorCode.GrantRefused, "The granted network overlaps the location's sentinel.");
        }

        await StartAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        CheckExpiry(expiresAt, now);
        var (version, row, _) = await Database(() => _table.GrantAsync(grantId, network, expiresAt, now, _gate.MaxRanges, cancellationToken)).ConfigureAwait(false);
        await WaitForWriterAsync(version, cancellationToken).ConfigureAwait(false);
        return new Grant(grantId, row.Network, row.ExpiresAt, row.GrantedAt);
    }

    private Task WaitForWriterAsync(long version, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _waiters.WaitAsync(version, cancellationToken);
    }

    private async Task Database(Func<Task> work) => await Database(async () => { await work().ConfigureAwait(false); return true; }).ConfigureAwait(false);

    private async Task<T> Database<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception error) when (DatabaseFailures.IsDatabaseFailure(error))
        {
            Log.DatabaseFailed(_logger, Name, error.GetType().Name);
            throw DatabaseFailures.Unavailable(LocationKey, error);
        }
    }
}
