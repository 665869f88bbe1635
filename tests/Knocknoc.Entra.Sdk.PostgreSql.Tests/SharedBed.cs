using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>
/// Several agents of one location on the test database and one emulated Entra, on one emulated clock (pacing,
/// coalescing and retry waits pass at once). The lease runs on real time, as the database's clock does, with short
/// timings (1 s lease) so a takeover takes about a second. Each bed has a location key of its own.
/// </summary>
internal sealed class SharedBed : IAsyncDisposable
{
    private readonly List<PostgreSqlNamedLocationGate> _agents = [];
    private readonly List<NpgsqlDataSource> _sources = [];
    private int _agentCount;

    public SharedBed(int seed = 7)
    {
        Time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        Emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = Time, Seed = seed });
        Tenant = Emulator.AddTenant();
        Application = Tenant.AddApplication();
        Location = Tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);
        Key = "test-" + Guid.NewGuid().ToString("N");
    }

    public static GrantAddressPolicy DocumentationPolicy { get; } = new(GrantAddressPolicy.DocumentationRanges);

    public AutoAdvancingTimeProvider Time { get; }

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication Application { get; }

    public EmulatedNamedLocation Location { get; }

    public string Key { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public IReadOnlyList<PostgreSqlNamedLocationGate> Agents => _agents;

    public CidrSet EntraSet => CidrSet.Create(Tenant.FindNamedLocation(Location.Id)!.IpRanges.Select(Cidr.Parse));

    public int Patches => Emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH");

    public PostgreSqlGateOptions Options(NpgsqlDataSource dataSource, Action<PostgreSqlGateOptions>? configure = null)
    {
        var options = new PostgreSqlGateOptions { DataSource = dataSource };
        Configure(options);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Sets the bed's location, timings and emulated Entra on <paramref name="options"/>, keeping its own <see cref="PostgreSqlGateOptions.Gate"/> (a host's registration builds that one).</summary>
    public void Configure(PostgreSqlGateOptions options)
    {
        options.LocationKey = Key;
        options.LeaseDuration = TimeSpan.FromSeconds(1);
        options.RenewInterval = TimeSpan.FromMilliseconds(300);
        options.LateWriteWindow = TimeSpan.FromMilliseconds(500);
        var gate = options.Gate;
        gate.LocationId = Location.Id;
        gate.Credential = EntraCredential.ClientSecret(Tenant.TenantId, Application.ClientId, Application.ClientSecret);
        gate.Cloud = EntraEmulator.Cloud;
        gate.Transport = Emulator.CreateHandler();
        gate.TimeProvider = Time;
        gate.LoggerFactory = Logs;
        gate.AddressPolicy = DocumentationPolicy;
        gate.ReadAfterWriteDelay = TimeSpan.FromSeconds(10);
        gate.Random = new Random(11);
        gate.Resilience.Random = new Random(5);
        gate.Resilience.MaxRetryAttempts = 3;
        gate.Resilience.AttemptTimeout = TimeSpan.FromHours(1);
        gate.Resilience.TotalTimeout = TimeSpan.FromHours(2);
    }

    /// <summary>Starts an agent on a data source of its own (so a test can cut its connections by name).</summary>
    public async Task<PostgreSqlNamedLocationGate> StartAgentAsync(Action<PostgreSqlGateOptions>? configure = null)
    {
        var name = $"{Key[..13]}-agent{Interlocked.Increment(ref _agentCount)}";
        var source = TestDatabase.Create(name);
        _sources.Add(source);
        var agent = PostgreSqlNamedLocationGate.Create(Options(source, o => { o.AgentName = name; configure?.Invoke(o); }));
        _agents.Add(agent);
        await agent.StartAsync();
        return agent;
    }

    /// <summary>Kills an agent as kill -9 would: no lease given up, nothing more recorded.</summary>
    public async Task KillAsync(PostgreSqlNamedLocationGate agent)
    {
        await agent.AbandonAsync();
        _agents.Remove(agent);
    }

    /// <summary>Waits until exactly one live agent is the writer; returns it.</summary>
    public async Task<PostgreSqlNamedLocationGate> WriterAsync()
    {
        Assert.That(await Eventually.HoldsAsync(() => _agents.Count(a => a.IsWriter) == 1), Is.True, "one agent became the writer");
        return _agents.Single(a => a.IsWriter);
    }

    /// <summary>The table's live networks, read from the database itself.</summary>
    public async Task<CidrSet> TableAsync()
    {
        await using var command = TestDatabase.Shared().CreateCommand(
            "SELECT network FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > @now");
        command.Parameters.AddWithValue("k", Key);
        command.Parameters.AddWithValue("now", Time.GetUtcNow());
        var networks = new List<Cidr>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            networks.Add(Cidr.Parse(reader.GetString(0)));
        }

        return CidrSet.Create(networks);
    }

    /// <summary>What Entra must hold for the table: its live networks, or the sentinel alone when there are none.</summary>
    public async Task<CidrSet> ExpectedEntraAsync()
    {
        var table = await TableAsync();
        return table.IsEmpty ? CidrSet.Create([NamedLocationGateOptions.DefaultSentinel]) : table;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }
}
