using System.Collections.Concurrent;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Hosting;

/// <summary>
/// Gates in a real host against the emulator, on the fake clock of <see cref="Gate.GateTestBed"/>: one emulator, one
/// emulated tenant (with its application and IP named location) per <see cref="AddSite"/>.
/// </summary>
internal sealed class HostingTestBed
{
    public HostingTestBed()
    {
        Emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = Time, Seed = 7 });
    }

    public AutoAdvancingTimeProvider Time { get; } = new() { AutoFireBelow = TimeSpan.FromSeconds(30) };

    public EntraEmulator Emulator { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    public Site AddSite(string locationName = "knocknoc_vpn")
    {
        var tenant = Emulator.AddTenant();
        var application = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation(locationName, ["192.0.2.0/32"]);
        return new Site(tenant, application, location);
    }

    /// <summary>Options for <paramref name="site"/>, as GateTestBed sets them; the transport is the emulator's unless the test routes through the HTTP client.</summary>
    public void Configure(NamedLocationGateOptions options, Site site, bool emulatorTransport = true)
    {
        options.LocationId = site.Location.Id;
        options.Credential = EntraCredential.ClientSecret(site.Tenant.TenantId, site.Application.ClientId, site.Application.ClientSecret);
        options.Cloud = EntraEmulator.Cloud;
        if (emulatorTransport)
        {
            options.Transport = Emulator.CreateHandler();
        }

        options.TimeProvider = Time;
        options.AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges);
        options.Random = new Random(11);
        options.Resilience.Random = new Random(5);
        options.Resilience.MaxRetryAttempts = 3;
        options.Resilience.AttemptTimeout = TimeSpan.FromHours(1);
        options.Resilience.TotalTimeout = TimeSpan.FromHours(2);
    }

    /// <summary>A host with nothing but what the test adds, logging to <see cref="Logs"/>.</summary>
    public HostApplicationBuilder Builder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(Logs);
        return builder;
    }

    public bool Logged(int eventId) => Logs.Entries.Any(e => e.EventId.Id == eventId);
}

internal sealed record Site(EmulatedTenant Tenant, EmulatedApplication Application, EmulatedNamedLocation Location)
{
    /// <summary>What Entra holds now, as the emulated tenant has it.</summary>
    public IReadOnlyList<string> Entra => Tenant.FindNamedLocation(Location.Id)!.IpRanges;
}

/// <summary>A handler added through the gate's <c>IHttpClientBuilder</c>: records each request and answers from the emulator.</summary>
internal sealed class RecordingHandler(HttpMessageHandler emulator, ConcurrentQueue<string> seen) : DelegatingHandler
{
    private readonly HttpMessageInvoker _emulator = new(emulator);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        seen.Enqueue($"{request.Method} {request.RequestUri!.Host}{request.RequestUri.AbsolutePath}");
        return _emulator.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _emulator.Dispose();
        }

        base.Dispose(disposing);
    }
}
