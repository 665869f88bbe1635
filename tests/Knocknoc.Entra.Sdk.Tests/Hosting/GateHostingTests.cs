using System.Collections.Concurrent;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk.Tests.Hosting;

/// <summary>Hosting with dependency injection (point 11): named gates in a real host, validated and started with it.</summary>
public class GateHostingTests
{
    [Test]
    public async Task Two_gates_on_two_tenants_start_with_the_host_grant_by_key_and_stop_with_it()
    {
        var bed = new HostingTestBed();
        var (a, b) = (bed.AddSite("vpn_a"), bed.AddSite("vpn_b"));
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate("tenant-a", options => bed.Configure(options, a));
        builder.Services.AddNamedLocationGate("tenant-b", options => bed.Configure(options, b));
        using var host = builder.Build();

        await host.StartAsync();
        var gateA = host.Services.GetRequiredKeyedService<INamedLocationGate>("tenant-a");
        var gateB = host.Services.GetRequiredKeyedService<INamedLocationGate>("tenant-b");
        Assert.That(gateA.GetState().IsStarted && gateB.GetState().IsStarted, Is.True, "started by the host, before any call");

        await gateA.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await gateB.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(8));

        Assert.That(a.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(b.Entra, Is.EqualTo(new[] { "198.51.100.9/32" }));
        var gates = host.Services.GetRequiredService<NamedLocationGates>();
        Assert.That(gates.Names, Is.EqualTo(new[] { "tenant-a", "tenant-b" }));
        Assert.That(gates.Get("tenant-b"), Is.SameAs(gateB));
        Assert.That(gateA.Name, Is.EqualTo("tenant-a"));
        Assert.That(host.Services.GetServices<IHostedService>().Count(s => s.GetType().Name == "NamedLocationGateHostedService"), Is.EqualTo(1));

        await host.StopAsync();

        Assert.ThrowsAsync<ObjectDisposedException>(() => gateA.GrantAsync("carol", "203.0.113.8", bed.Now.AddHours(8)), "stopping the host disposed the gate");
        Assert.That(a.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }), "disposing a gate leaves its location as it is");
    }

    [Test]
    public void Invalid_options_fail_the_host_at_start_with_every_problem()
    {
        var bed = new HostingTestBed();
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate("broken", options => options.TimeProvider = bed.Time);
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;

        Assert.That(error.OptionsName, Is.EqualTo("broken"));
        Assert.That(error.Failures, Is.EqualTo(new[]
        {
            "Gate 'broken': Set exactly one of LocationId and LocationDisplayName.",
            "Gate 'broken': Set Credential (or TokenSource) to sign in to Entra.",
        }));
        Assert.That(error.Message, Does.Contain("LocationId").And.Contain("Credential"));
    }

    [Test]
    public void A_location_that_does_not_exist_fails_the_host_at_start()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate("missing", options =>
        {
            bed.Configure(options, site);
            options.LocationId = Guid.NewGuid().ToString();
        });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<EntraException>(() => host.StartAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(bed.Logs.Entries.Any(e => e.EventId.Id == 1203 && e.Text.Contains("missing", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_gate_Graph_cannot_reach_yet_lets_the_host_start_and_starts_in_the_background()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate(options => bed.Configure(options, site));
        using var host = builder.Build();
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 4);

        await host.StartAsync();

        var gate = host.Services.GetRequiredService<INamedLocationGate>();
        Assert.That(bed.Logged(1200), Is.True, "the transient failure is logged before the host's start completes");

        // The late start is logged once the gate's StartAsync returned, just after the gate shows as started.
        Assert.That(await Eventually.HoldsAsync(() => bed.Logged(1201)), Is.True);
        Assert.That(gate.GetState().IsStarted, Is.True);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        await host.StopAsync();
    }

    [Test]
    public async Task The_default_gate_resolves_as_a_plain_INamedLocationGate()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate(options => bed.Configure(options, site));
        await using var provider = builder.Services.BuildServiceProvider();

        var gate = provider.GetRequiredService<INamedLocationGate>();

        Assert.That(gate.Name, Is.EqualTo(NamedLocationGates.DefaultName));
        Assert.That(new NamedLocationGateOptions().Name, Is.EqualTo(NamedLocationGates.DefaultName));
        Assert.That(provider.GetRequiredKeyedService<INamedLocationGate>(NamedLocationGates.DefaultName), Is.SameAs(gate));
        Assert.That(provider.GetRequiredService<NamedLocationGates>().Get("default"), Is.SameAs(gate));
        Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<NamedLocationGates>().Get("other"));
    }

    [Test]
    public async Task The_returned_IHttpClientBuilder_is_the_gate_transport_beneath_the_SDK_handlers()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var seen = new ConcurrentQueue<string>();
        var builder = bed.Builder();
        var client = builder.Services.AddNamedLocationGate(options => bed.Configure(options, site, emulatorTransport: false));
        client.AddHttpMessageHandler(() => new RecordingHandler(bed.Emulator.CreateHandler(), seen));
        using var host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredService<INamedLocationGate>().GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        Assert.That(client.Name, Is.EqualTo("Knocknoc.Entra.Gate.default"));
        Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(seen, Has.Some.StartsWith("POST ").And.Contains("/oauth2/v2.0/token"), "MSAL signs in through it");
        Assert.That(seen, Has.Some.StartsWith("PATCH ").And.Contains("/namedLocations/" + site.Location.Id), "the gate writes through it");
        await host.StopAsync();
    }

    [Test]
    public void A_primary_handler_that_follows_redirects_fails_the_host_at_start()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate(options => bed.Configure(options, site, emulatorTransport: false))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true });
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;

        Assert.That(error.Message, Does.Contain("follows redirects").And.Contain("Knocknoc.Entra.Gate.default"));
    }

    [Test]
    public void The_container_fills_in_the_name_clock_logger_factory_and_transport()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(bed.Time);
        services.AddNamedLocationGate("site", (provider, options) =>
        {
            bed.Configure(options, site, emulatorTransport: false);
            options.TimeProvider = TimeProvider.System;
            options.Name = "ignored";
            options.Store = new Knocknoc.Entra.Sdk.InMemoryGrantStore();
            Assert.That(provider.GetService<TimeProvider>(), Is.SameAs(bed.Time), "the configure callback sees the container");
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<NamedLocationGateOptions>>().Get("site");

        Assert.That(options.Name, Is.EqualTo("site"));
        Assert.That(options.TimeProvider, Is.SameAs(bed.Time));
        Assert.That(options.LoggerFactory, Is.SameAs(provider.GetRequiredService<ILoggerFactory>()));
        Assert.That(options.Transport, Is.Not.Null);
        Assert.That(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("Knocknoc.Entra.Gate.site"), Is.SameAs(options.Transport), "one handler, never rotated");
    }

    [Test]
    public void Registering_a_name_twice_throws()
    {
        var services = new ServiceCollection();
        services.AddNamedLocationGate("a", _ => { });

        var error = Assert.Throws<InvalidOperationException>(() => services.AddNamedLocationGate("a", _ => { }))!;

        Assert.That(error.Message, Does.Contain("'a'"));
        Assert.DoesNotThrow(() => services.AddNamedLocationGate("b", _ => { }));
    }
}
