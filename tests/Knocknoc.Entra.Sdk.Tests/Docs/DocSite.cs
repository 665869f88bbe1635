using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>One emulated tenant with an app and a <c>knocknoc_</c> location, on a fake clock.</summary>
internal sealed class DocSite
{
    public DocSite(params string[] ranges)
        : this(null, null, ranges)
    {
    }

    public DocSite(EntraEmulator? emulator, AutoAdvancingTimeProvider? clock, params string[] ranges)
    {
        Clock = clock ?? new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        Emulator = emulator ?? new EntraEmulator(new EntraEmulatorOptions { TimeProvider = Clock, Seed = 7 });
        Tenant = Emulator.AddTenant();
        App = Tenant.AddApplication();
        Location = Tenant.AddIpNamedLocation("knocknoc_vpn", ranges.Length > 0 ? ranges : ["192.0.2.0/32"]);
    }

    public AutoAdvancingTimeProvider Clock { get; }

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication App { get; }

    public EmulatedNamedLocation Location { get; }

    public IReadOnlyList<string> Entra => Tenant.FindNamedLocation(Location.Id)!.IpRanges;

    /// <summary>This site's settings as command-line configuration under <paramref name="section"/> (<c>Entra</c>, <c>Gates:contoso</c>).</summary>
    public string[] Args(string section) =>
    [
        $"--{section}:TenantId={Tenant.TenantId}",
        $"--{section}:ClientId={App.ClientId}",
        $"--{section}:ClientSecret={App.ClientSecret}",
        $"--{section}:LocationId={Location.Id}",
    ];

    public void UseEmulator(NamedLocationGateOptions options)
    {
        options.Cloud = EntraEmulator.Cloud;
        options.Transport = Emulator.CreateHandler();

        // The snippets' users sign in from documentation addresses, granted only where allowed by name.
        options.AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges);
    }

    /// <summary>What the tests add to a host: the fake clock as the container's, the emulator as every gate's Graph.</summary>
    public void AddEmulator(IServiceCollection services)
    {
        services.AddLogging(logging => logging.ClearProviders()); // the console is the snippet's
        services.AddSingleton<TimeProvider>(Clock);
        services.PostConfigureAll<NamedLocationGateOptions>(UseEmulator);
    }

    public NamedLocationGateOptions Options(Action<NamedLocationGateOptions>? configure = null)
    {
        var options = new NamedLocationGateOptions
        {
            LocationId = Location.Id,
            Credential = EntraCredential.ClientSecret(Tenant.TenantId, App.ClientId, App.ClientSecret),
            TimeProvider = Clock,
        };
        UseEmulator(options);
        configure?.Invoke(options);
        return options;
    }
}
