using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A gate against the emulator (1 request/s limit on) on a fake clock: pacing, coalescing and retry waits pass at
/// once; expiries, drift checks and read-after-write delays (30 s and more) wait for <see cref="AutoAdvancingTimeProvider.Skip"/>.
/// Requests reach the emulator in no emulated time (<see cref="InstantNetwork"/>), however busy the machine.
/// </summary>
internal sealed class GateTestBed : IAsyncDisposable
{
    private readonly List<NamedLocationGate> _gates = [];

    public GateTestBed(Action<EntraEmulatorOptions>? emulator = null, params string[] initialRanges)
        : this(new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) }, emulator, initialRanges)
    {
    }

    /// <summary>A bed on the given clock; with <c>AutoFireBelow = 0</c> only <see cref="StepAsync"/> moves time.</summary>
    public GateTestBed(AutoAdvancingTimeProvider clock, Action<EntraEmulatorOptions>? emulator = null, params string[] initialRanges)
    {
        Time = clock;
        Network = new InstantNetwork(clock);
        var options = new EntraEmulatorOptions { TimeProvider = Network.EmulatorClock, Seed = 7 };
        emulator?.Invoke(options);
        Emulator = new EntraEmulator(options);
        Tenant = Emulator.AddTenant();
        Application = Tenant.AddApplication();
        Location = Tenant.AddIpNamedLocation("knocknoc_vpn", initialRanges.Length > 0 ? initialRanges : ["192.0.2.0/32"]);
    }

    /// <summary>The tests' users sign in from documentation addresses, which a gate grants only when allowed by name.</summary>
    public static GrantAddressPolicy DocumentationPolicy { get; } = new(GrantAddressPolicy.DocumentationRanges);

    public AutoAdvancingTimeProvider Time { get; }

    /// <summary>Gets the network to the emulator: requests reach it in no emulated time, however busy the machine.</summary>
    public InstantNetwork Network { get; }

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication Application { get; }

    public EmulatedNamedLocation Location { get; }

    public InMemoryGrantStore Store { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>What Entra holds now, as the emulator's tenant (not a possibly stale read) has it.</summary>
    public IReadOnlyList<string> Entra => Tenant.FindNamedLocation(Location.Id)!.IpRanges;

    public CidrSet EntraSet => CidrSet.Create(Entra.Select(Cidr.Parse));

    public int Patches => Emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH");

    public int SuccessfulPatches => Emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH" && e.Status == 204);

    public NamedLocationGateOptions Options(Action<NamedLocationGateOptions>? configure = null)
    {
        var options = new NamedLocationGateOptions
        {
            LocationId = Location.Id,
            Credential = EntraCredential.ClientSecret(Tenant.TenantId, Application.ClientId, Application.ClientSecret),
            Cloud = EntraEmulator.Cloud,
            Transport = Network.Carry(Emulator.CreateHandler()),
            TimeProvider = Time,
            LoggerFactory = Logs,
            AddressPolicy = DocumentationPolicy,
            Store = Store,
            Random = new Random(11),
            Resilience = { Random = new Random(5), MaxRetryAttempts = 3, AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromHours(2) },
        };
        configure?.Invoke(options);
        return options;
    }

    public async Task<NamedLocationGate> StartGateAsync(Action<NamedLocationGateOptions>? configure = null)
    {
        var gate = NamedLocationGate.Create(Options(configure));
        _gates.Add(gate);
        await LiveThroughStartAsync(() => gate.StartAsync());
        return gate;
    }

    /// <summary>
    /// Awaits a start, living through the wait a real host lives through: a start within the read-after-write delay
    /// of the last write (logged 1123) reads again only once reads can be trusted, a timer too long to fire by itself.
    /// Once it is logged, the clock moves on a second at a time until the start ends, as time would: a single jump
    /// could come between the gate reading the clock and arming its timer, and leave the timer behind.
    /// </summary>
    public async Task LiveThroughStartAsync(Func<Task> start)
    {
        // Counted before the start begins: with an instant network it can reach its wait before returning a task.
        var before = DeferredStarts;
        var starting = start();
        while (await Task.WhenAny(starting, Task.Delay(5)) != starting)
        {
            if (DeferredStarts > before)
            {
                Time.Skip(TimeSpan.FromSeconds(1));
            }
        }

        await starting;
    }

    /// <summary>How many starts were deferred until reads could be trusted (event 1123).</summary>
    public int DeferredStarts => Logs.Entries.Count(e => e.EventId.Id == GateEventId.StartDeferred);

    public NamedLocationGate CreateGate(Action<NamedLocationGateOptions>? configure = null)
    {
        var gate = NamedLocationGate.Create(Options(configure));
        _gates.Add(gate);
        return gate;
    }

    /// <summary>
    /// Moves a manual clock on in steps, letting the gate run after each (a real millisecond): a gate that lagged
    /// behind would only look slower in emulated time, never faster.
    /// </summary>
    public async Task StepAsync(TimeSpan by, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            Time.Skip(by - moved < step ? by - moved : step);
            await Task.Delay(1);
        }
    }

    public Task<bool> EntraBecomesAsync(params string[] ranges) =>
        Eventually.HoldsAsync(() => EntraSet.SetEquals(CidrSet.Create(ranges.Select(Cidr.Parse))));

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates)
        {
            await gate.DisposeAsync();
        }
    }
}
