#region snippet:readme-quick-start-host
using Knocknoc.Entra.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endregion

namespace Knocknoc.Entra.DocSnippets.Readme;

/// <summary>README's quick start with a host: the gate from the container, its settings from configuration.</summary>
public static class QuickStartWithHost
{
    /// <param name="args">The program's arguments (configuration such as <c>--Entra:LocationId=...</c>).</param>
    /// <param name="beforeBuild">What a test adds to the services (the emulator); the docs leave it out.</param>
    public static async Task RunAsync(string[] args, Action<IServiceCollection> beforeBuild)
    {
        ArgumentNullException.ThrowIfNull(beforeBuild);

        #region snippet:readme-quick-start-host
        var builder = Host.CreateApplicationBuilder(args);
        // Entra:LocationId, Entra:NameGuard:Prefix, Entra:Store:Path, Entra:Credential:tenantId, ...: from appsettings.json,
        // environment variables (Entra__Credential__clientSecret) or Key Vault. An unknown key fails the start.
        builder.Services.AddNamedLocationGate(NamedLocationGates.DefaultName, builder.Configuration.GetSection("Entra"));
        #endregion

        beforeBuild(builder.Services);

        #region snippet:readme-quick-start-host
        using var host = builder.Build();
        await host.StartAsync();                                    // starts the gate; expiries and drift checks run
        var gate = host.Services.GetRequiredService<INamedLocationGate>();
        await gate.GrantAsync("alice", "203.0.113.7", TimeProvider.System.GetUtcNow().AddHours(8));
        await host.StopAsync();                                     // finishes the write in flight
        #endregion
    }
}
