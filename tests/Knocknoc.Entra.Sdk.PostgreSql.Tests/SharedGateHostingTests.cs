using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>The shared gate in a .NET host: registered like the SDK's gate, started and stopped with the host, the database from the container.</summary>
public class SharedGateHostingTests
{
    [Test]
    public async Task Two_hosts_share_one_location_a_grant_through_each_reaches_Entra_and_stopping_the_writer_hands_over()
    {
        await using var bed = new SharedBed();
        using var first = AgentHost(bed, "vpn", "host1");
        using var second = AgentHost(bed, "vpn", "host2");
        await first.StartAsync();
        await second.StartAsync();
        var gates = new[] { first, second }.Select(h => h.Services.GetRequiredKeyedService<INamedLocationGate>("vpn")).ToArray();
        var shared = new[] { first, second }.Select(h => h.Services.GetRequiredKeyedService<PostgreSqlNamedLocationGate>("vpn")).ToArray();
        Assert.That(gates[0], Is.SameAs(shared[0]), "one gate per name, whichever type it is resolved as");
        Assert.That(gates.All(g => g.GetState().IsStarted), Is.True, "started by the host, before any call");
        var expires = bed.Time.GetUtcNow().AddHours(1);

        await gates[0].GrantAsync("alice", "203.0.113.1", expires);
        await gates[1].GrantAsync("bob", "203.0.113.2", expires);

        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32"), Cidr.Parse("203.0.113.2/32")])));
        Assert.That(shared.Count(s => s.IsWriter), Is.EqualTo(1));
        Assert.That(shared.Select(s => s.AgentName), Is.EqualTo(new[] { "host1", "host2" }));

        // Stopping the writer's host gives its lease up: the other host takes over and writes what comes next.
        var (writerHost, other) = shared[0].IsWriter ? (first, 1) : (second, 0);
        await writerHost.StopAsync();
        Assert.That(await Eventually.HoldsAsync(() => shared[other].IsWriter), Is.True, "the other host became the writer");
        await gates[other].GrantAsync("carol", "198.51.100.3", expires);

        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32"), Cidr.Parse("203.0.113.2/32"), Cidr.Parse("198.51.100.3/32")])), "nothing lost in the handover");
        Assert.That(bed.EntraSet, Is.EqualTo(await bed.TableAsync()));
        await (other == 0 ? first : second).StopAsync();
    }

    [Test]
    public async Task The_default_shared_gate_resolves_as_a_plain_INamedLocationGate_and_takes_its_data_source_from_the_options()
    {
        await using var bed = new SharedBed();
        await using var source = TestDatabase.Create(bed.Key[..13] + "-options");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPostgreSqlNamedLocationGate(options =>
        {
            bed.Configure(options);
            options.DataSource = source;
        });
        using var host = builder.Build();
        await host.StartAsync();

        var gate = host.Services.GetRequiredService<INamedLocationGate>();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Time.GetUtcNow().AddHours(1));

        Assert.That(gate, Is.SameAs(host.Services.GetRequiredService<NamedLocationGates>().Get(NamedLocationGates.DefaultName)));
        Assert.That(gate, Is.InstanceOf<PostgreSqlNamedLocationGate>());
        Assert.That(gate.Name, Is.EqualTo(NamedLocationGates.DefaultName));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.7/32")])));
        Assert.That(await bed.TableAsync(), Is.EqualTo(bed.EntraSet), "the grant is in the shared table");
        await host.StopAsync();
        Assert.ThrowsAsync<ObjectDisposedException>(() => gate.GrantAsync("bob", "203.0.113.8", bed.Time.GetUtcNow().AddHours(1)), "stopping the host disposed the gate");
    }

    [Test]
    public async Task A_data_source_keyed_by_the_gates_name_wins_over_the_plain_one()
    {
        await using var bed = new SharedBed();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var nowhere = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Port = 1, Timeout = 1 }.ConnectionString;
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(nowhere));
        builder.Services.AddKeyedSingleton("vpn", (_, _) => TestDatabase.Create(bed.Key[..13] + "-keyed"));
        builder.Services.AddPostgreSqlNamedLocationGate("vpn", bed.Configure);
        using var host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredKeyedService<INamedLocationGate>("vpn").GrantAsync("alice", "203.0.113.7", bed.Time.GetUtcNow().AddHours(1));

        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.7/32")])), "the grant went through the keyed data source; the plain one reaches no server");
        await host.StopAsync();
    }

    [Test]
    public void Shared_options_that_cannot_work_fail_the_host_at_start_with_every_problem()
    {
        var bed = new SharedBed();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPostgreSqlNamedLocationGate("broken", options =>
        {
            bed.Configure(options);
            options.LocationKey = null;
            options.Gate.LocationId = null;
            options.Gate.LocationDisplayName = "knocknoc_vpn";
            options.PollInterval = TimeSpan.FromMilliseconds(10);
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;

        Assert.That(error.OptionsName, Is.EqualTo("broken"));
        Assert.That(error.Failures, Is.EquivalentTo(new[]
        {
            "Gate 'broken': DataSource is required.",
            "Gate 'broken': LocationKey or Gate.LocationId is required: every agent of a location finds it by that key.",
            "Gate 'broken': PollInterval is at least 1 s: notifications are the fast path, polling only the fallback.",
        }));
    }

    [Test]
    public async Task A_shared_gate_from_configuration_takes_the_gate_keys_and_the_PostgreSql_subsection()
    {
        await using var bed = new SharedBed();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Entra:LocationId"] = bed.Location.Id,
            ["Entra:ReadAfterWriteDelay"] = "00:00:10",
            ["Entra:PostgreSql:LocationKey"] = bed.Key,
            ["Entra:PostgreSql:AgentName"] = "configured-agent",
            ["Entra:PostgreSql:LeaseDuration"] = "00:00:01",
            ["Entra:PostgreSql:RenewInterval"] = "00:00:00.300",
            ["Entra:PostgreSql:PollInterval"] = "00:00:02",
            ["Entra:PostgreSql:LateWriteWindow"] = "00:00:00.500",
        });
        builder.Services.AddSingleton(_ => TestDatabase.Create($"{bed.Key[..13]}-configured"));
        builder.Services.AddPostgreSqlNamedLocationGate("vpn", builder.Configuration.GetSection("Entra"), (_, options) =>
        {
            // What configuration cannot hold: the emulator's transport, the test's clock and logs, its credential object.
            var gate = options.Gate;
            gate.Credential = EntraCredential.ClientSecret(bed.Tenant.TenantId, bed.Application.ClientId, bed.Application.ClientSecret);
            gate.Cloud = EntraEmulator.Cloud;
            gate.Transport = bed.Emulator.CreateHandler();
            gate.TimeProvider = bed.Time;
            gate.LoggerFactory = bed.Logs;
            gate.AddressPolicy = SharedBed.DocumentationPolicy;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var shared = host.Services.GetRequiredKeyedService<PostgreSqlNamedLocationGate>("vpn");
        await shared.GrantAsync("alice", "203.0.113.1", bed.Time.GetUtcNow().AddHours(1));

        Assert.That((shared.AgentName, shared.LocationKey, shared.IsWriter), Is.EqualTo(("configured-agent", bed.Key, true)));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("203.0.113.1/32")])));
        await host.StopAsync();
    }

    [Test]
    public void Configuration_that_cannot_work_fails_the_host_at_start_naming_each_key()
    {
        _ = TestDatabase.ConnectionString(); // skipped (failed under CI) without a database, before the host hides why
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Entra:LocationId"] = "00000000-0000-0000-0000-000000000001",
            ["Entra:Credential:credential"] = "managedidentity",
            ["Entra:Lease"] = "00:00:05",
            ["Entra:PostgreSql:LeaseDuration"] = "soon",
            ["Entra:PostgreSql:Generation"] = "7",
        });
        builder.Services.AddSingleton(_ => TestDatabase.Create("unused"));
        builder.Services.AddPostgreSqlNamedLocationGate("vpn", builder.Configuration.GetSection("Entra"));
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;

        Assert.That(error.Failures, Has.Some.Contains("Entra:Lease is not a setting of the gate"));
        Assert.That(error.Failures, Has.Some.Contains("Entra:PostgreSql:LeaseDuration = 'soon' is not a duration"));
        Assert.That(error.Failures, Has.Some.Contains("Entra:PostgreSql:Generation is not a setting of the gate; the settings here are LocationKey, AgentName"));
        Assert.That(error.Failures, Has.None.Contains("Entra:PostgreSql is not a setting"), "the subsection is the package's, not an unknown key");
    }

    [Test]
    public void Replacing_the_gate_options_or_setting_a_store_is_refused_at_start()
    {
        _ = TestDatabase.ConnectionString(); // skipped (failed under CI) without a database, before the host hides why
        var bed = new SharedBed();
        var replaced = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        replaced.Services.AddPostgreSqlNamedLocationGate("replaced", options => options.Gate = new NamedLocationGateOptions());
        using var replacedHost = replaced.Build();
        var stored = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        stored.Services.AddSingleton(_ => TestDatabase.Create("unused"));
        stored.Services.AddPostgreSqlNamedLocationGate("stored", options =>
        {
            bed.Configure(options);
            options.Gate.Store = new InMemoryGrantStore();
        });
        using var storedHost = stored.Build();

        var replacing = Assert.ThrowsAsync<InvalidOperationException>(() => replacedHost.StartAsync())!;
        var storing = Assert.ThrowsAsync<OptionsValidationException>(() => storedHost.StartAsync())!;

        Assert.That(replacing.Message, Does.Contain("do not replace it"));
        Assert.That(storing.Failures, Is.EqualTo(new[] { "Gate 'stored': Gate.Store must be unset: the database is the store." }));
    }

    [Test]
    public void A_second_gate_of_the_same_name_is_refused_at_registration()
    {
        var services = new ServiceCollection();
        services.AddPostgreSqlNamedLocationGate("vpn", _ => { });

        Assert.Throws<InvalidOperationException>(() => services.AddPostgreSqlNamedLocationGate("vpn", _ => { }));
        Assert.Throws<InvalidOperationException>(() => services.AddNamedLocationGate("vpn", _ => { }));
    }

    [Test]
    public async Task An_unreachable_database_lets_the_host_start_and_the_gate_refuses_calls_with_a_transient_error()
    {
        await using var bed = new SharedBed();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var unreachable = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Port = 1, Timeout = 1, Password = "do-not-show-me" }.ConnectionString;
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(unreachable));
        builder.Services.AddPostgreSqlNamedLocationGate("vpn", bed.Configure);
        using var host = builder.Build();

        await host.StartAsync();

        var gate = host.Services.GetRequiredKeyedService<INamedLocationGate>("vpn");
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.1", bed.Time.GetUtcNow().AddHours(1)))!;
        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.GrantStoreUnwritable, true)));
        Assert.That(error.ToString() + string.Join("\n", bed.Logs.Entries.Select(e => e.Text)), Does.Not.Contain("do-not-show-me"));
        Assert.That(bed.EntraSet, Is.EqualTo(CidrSet.Create([Cidr.Parse("192.0.2.0/32")])), "nothing reached Entra");
        await host.StopAsync();
    }

    /// <summary>A host of one agent: the data source is the container's (as <c>AddNpgsqlDataSource</c> registers it), named after the agent.</summary>
    private static IHost AgentHost(SharedBed bed, string name, string agent)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(_ => TestDatabase.Create($"{bed.Key[..13]}-{agent}"));
        builder.Services.AddPostgreSqlNamedLocationGate(name, options =>
        {
            bed.Configure(options);
            options.AgentName = agent;
        });
        return builder.Build();
    }
}
