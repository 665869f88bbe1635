#region snippet:readme-quick-start-host
using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.Gate;
using Knocknoc.Entra.Sdk.GrantStores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endregion

namespace Knocknoc.Entra.Sdk.DocSnippets.Readme;

/// <summary>README's quick start with a host: the gate from the container, its settings from configuration.</summary>
public static class QuickStartWithHost
{
    /// <param name="args">The program's arguments (configuration such as <c>--Entra:TenantId=...</c>).</param>
    /// <param name="beforeBuild">What a test adds to the services (the emulator); the docs leave it out.</param>
    public static async Task RunAsync(string[] args, Action<IServiceCollection> beforeBuild)
    {
        ArgumentNullException.ThrowIfNull(beforeBuild);

        #region snippet:readme-quick-start-host
        var builder = Host.CreateApplicationBuilder(args);
        var entra = builder.Configuration.GetSection("Entra");     // appsettings.json, Entra__ClientSecret, ...
        builder.Services.AddNamedLocationGate(options =>
        {
            options.LocationId = entra["LocationId"];
            options.NameGuard = LocationNameGuard.Prefix("knocknoc_");
            options.Credential = EntraCredential.ClientSecret(entra["TenantId"]!, entra["ClientId"]!, entra["ClientSecret"]!);
            options.Store = new FileGrantStore(Path.Combine(builder.Environment.ContentRootPath, "grants.txt"));
        });                                                         // returns the gate's IHttpClientBuilder
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
