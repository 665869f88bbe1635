using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Demo;

/// <summary>
/// The demo's world: an in-process Entra emulator (Graph's 1 request/s limit on), one tenant, an app, the named
/// location <c>knocknoc_demo</c> holding the sentinel, and a gate on it, all on one emulated clock so a working day
/// plays in seconds. Pacing, coalescing and Retry-After waits pass at once; longer waits (expiries, the gate's own
/// retry) wait for <see cref="AtAsync"/> to move the clock. Built with the SDK's public API only.
/// </summary>
internal sealed class DemoWorld : IAsyncDisposable
{
    /// <summary>The location's name: the gate's name guard allows only names with the <c>knocknoc_</c> prefix.</summary>
    public const string LocationName = "knocknoc_demo";

    // A real-time guard only, against a demo that stalls: each step settles in milliseconds.
    private static readonly TimeSpan SettleGuard = TimeSpan.FromSeconds(30);

    private DemoWorld(DateTimeOffset morning)
    {
        Morning = morning;

        // Waits under 30 s fire at once (pacing, coalescing, Retry-After); longer ones wait for AtAsync.
        Clock = new AutoAdvancingTimeProvider(morning) { AutoFireBelow = TimeSpan.FromSeconds(30) };
        Emulator = new EntraEmulator(new EntraEmulatorOptions
        {
            TimeProvider = Clock,
            Seed = 2026,
            RateLimitInterval = GraphLimits.TenantRequestInterval,

            // MSAL keeps its token by the real clock, which hardly moves while the emulated day passes.
            TokenLifetime = TimeSpan.FromDays(1),
        });
        Tenant = Emulator.AddTenant();
        Application = Tenant.AddApplication(GraphPermissions.All);
        Location = Tenant.AddIpNamedLocation(LocationName, [Sentinel.ToString()]);
        Options = GateOptions(Emulator, Tenant, Application, Location, Clock);

        // After a failed write the gate waits 30 to 60 s before trying again (the default is 2.5 to 5 s): long
        // enough for the demo to show the change pending while Graph is down.
        Options.RetryBaseDelay = TimeSpan.FromMinutes(1);
        Gate = NamedLocationGate.Create(Options);
    }

    /// <summary>The options of a demo's gate on an emulated location and clock: what both demos' gates share.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="tenant">Its tenant.</param>
    /// <param name="application">The app the gate signs in as.</param>
    /// <param name="location">The location.</param>
    /// <param name="clock">The emulated clock.</param>
    /// <returns>New options.</returns>
    public static NamedLocationGateOptions GateOptions(EntraEmulator emulator, EmulatedTenant tenant, EmulatedApplication application, EmulatedNamedLocation location, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(location);
        return new NamedLocationGateOptions
        {
            Name = "demo",
            LocationId = location.Id,
            NameGuard = LocationNameGuard.Prefix("knocknoc_"),
            Credential = EntraCredential.ClientSecret(tenant.TenantId, application.ClientId, application.ClientSecret),
            Cloud = EntraEmulator.Cloud,
            Transport = emulator.CreateHandler(),
            TimeProvider = clock,

            // The users sign in from documentation addresses, which a gate grants only when allowed by name.
            AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges),

            // Every request the demo shows is the script's own: no periodic read.
            DriftCheckInterval = Timeout.InfiniteTimeSpan,
            Random = new Random(7),

            // On the emulated clock a request never takes time; the timeouts (30 s and 3 min by default) are raised
            // above any wait of the demo so that waking the gate's timers can never cut a request short.
            Resilience = { Random = new Random(11), AttemptTimeout = TimeSpan.FromDays(1), TotalTimeout = TimeSpan.FromDays(1) },
        };
    }

    /// <summary>Gets the sentinel the location holds when nothing is granted.</summary>
    public static Cidr Sentinel => NamedLocationGateOptions.DefaultSentinel;

    /// <summary>Gets when the day starts.</summary>
    public DateTimeOffset Morning { get; }

    /// <summary>Gets the emulated clock of the emulator and the gate.</summary>
    public AutoAdvancingTimeProvider Clock { get; }

    /// <summary>Gets the emulator.</summary>
    public EntraEmulator Emulator { get; }

    /// <summary>Gets the tenant.</summary>
    public EmulatedTenant Tenant { get; }

    /// <summary>Gets the app the gate signs in as.</summary>
    public EmulatedApplication Application { get; }

    /// <summary>Gets the named location as it was created.</summary>
    public EmulatedNamedLocation Location { get; }

    /// <summary>Gets the gate's options.</summary>
    public NamedLocationGateOptions Options { get; }

    /// <summary>Gets the gate.</summary>
    public NamedLocationGate Gate { get; }

    /// <summary>Gets the emulated time now.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Gets the ranges Entra holds now, as the tenant has them (not a possibly stale read).</summary>
    public IReadOnlyList<string> EntraRanges => Tenant.FindNamedLocation(Location.Id)?.IpRanges ?? [];

    /// <summary>Gets the ranges Entra holds now, as a set.</summary>
    public CidrSet EntraSet => CidrSet.Create(EntraRanges.Select(text => Cidr.ParseLenient(text)));

    /// <summary>Gets how many PATCH requests Graph accepted (204): the writes.</summary>
    public int Writes => Emulator.Journal.Count(entry => entry.IsGraph && entry.Method == "PATCH" && entry.Status == 204);

    /// <summary>Gets how many PATCH requests Graph refused (an outage, a throttle).</summary>
    public int RefusedWrites => Emulator.Journal.Count(entry => entry.IsGraph && entry.Method == "PATCH" && entry.Status != 204);

    /// <summary>Gets how many Graph requests were sent (reads and writes, refused ones included).</summary>
    public int GraphRequests => Emulator.Journal.Count(entry => entry.IsGraph);

    /// <summary>Gets how many Graph requests the rate limit refused with 429.</summary>
    public int Throttled => Emulator.Journal.Count(entry => entry.IsGraph && entry.Status == 429);

    /// <summary>Creates the world, its gate not started.</summary>
    /// <param name="morning">When the day starts on the emulated clock.</param>
    /// <returns>The world.</returns>
    public static DemoWorld Create(DateTimeOffset morning) => new(morning);

    /// <summary>Moves the emulated clock to <paramref name="at"/> (if later), firing what falls due, and waits for the gate to settle.</summary>
    /// <param name="at">The emulated time to move to.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes when the gate has settled.</returns>
    public async Task AtAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var by = at - Now;
        if (by > TimeSpan.Zero)
        {
            Clock.Skip(by);
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits (in real time, briefly) until the gate has nothing left to do: no grant past its expiry, no call waiting,
    /// nothing pending, and Entra holding exactly what the gate wants.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes when the gate has settled.</returns>
    /// <exception cref="TimeoutException">The gate did not settle within the guard (a bug, not a slow machine).</exception>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(SettleGuard);
        try
        {
            // A gate loop that arms its timer just after the clock moved looks at the clock again, so each step
            // settles on its own, within milliseconds.
            while (!IsSettled())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(2), guard.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var state = Gate.GetState();
            throw new TimeoutException(
                $"The gate did not settle within {SettleGuard.TotalSeconds:0} s: {state.WaitingCalls} calls waiting, pending {(state.Pending is null ? "unknown" : state.Pending.ToString())}, last error {state.LastError?.CodeText ?? "none"}.");
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Gate.DisposeAsync();

    private bool IsSettled()
    {
        var now = Now;
        var state = Gate.GetState();
        return state.IsStarted
            && state.WaitingCalls == 0
            && state.Pending is { IsEmpty: true }
            && state.Grants.All(grant => grant.ExpiresAt > now)
            && EntraSet.SetEquals(CidrSet.Create(state.DesiredRanges));
    }
}
