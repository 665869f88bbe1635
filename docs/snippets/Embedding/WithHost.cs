#region snippet:embedding-with-host
using Knocknoc.Entra.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: one gate in a host, its options built with the container at hand.</summary>
public static class WithHost
{
    /// <param name="args">The program's arguments (configuration such as <c>--Entra:TenantId=...</c>).</param>
    /// <param name="beforeBuild">What a test adds to the services (the emulator, a fake clock); the docs leave it out.</param>
    public static async Task RunAsync(string[] args, Action<IServiceCollection> beforeBuild)
    {
        ArgumentNullException.ThrowIfNull(beforeBuild);

        #region snippet:embedding-with-host
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);        // the gate takes the container's clock
        builder.Services.AddNamedLocationGate(NamedLocationGates.DefaultName, (services, options) =>
        {
            var entra = services.GetRequiredService<IConfiguration>().GetSection("Entra");
            var environment = services.GetRequiredService<IHostEnvironment>();
            options.LocationId = entra["LocationId"];
            options.NameGuard = LocationNameGuard.Prefix("knocknoc_");
            options.Credential = EntraCredential.ClientSecret(entra["TenantId"]!, entra["ClientId"]!, entra["ClientSecret"]!);
            options.Store = new FileGrantStore(Path.Combine(environment.ContentRootPath, "grants.txt"));
        });
        #endregion

        beforeBuild(builder.Services);

        #region snippet:embedding-with-host
        using var host = builder.Build();
        await host.StartAsync();                                    // validates the options, starts the gate

        var gate = host.Services.GetRequiredService<INamedLocationGate>();
        var clock = host.Services.GetRequiredService<TimeProvider>();
        await gate.GrantAsync("alice", "203.0.113.7", clock.GetUtcNow().AddHours(8));
        Console.WriteLine($"{gate.Name}: {string.Join(", ", gate.GetState().DesiredRanges)}");
        // default: 203.0.113.7/32

        await host.StopAsync();                                     // disposes the gate: the write in flight finishes
        #endregion
    }
}
