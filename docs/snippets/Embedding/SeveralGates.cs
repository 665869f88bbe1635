#region snippet:embedding-several-gates
using System.Net;
using Knocknoc.Entra.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: one gate per tenant (or location), picked by key or from the registry.</summary>
public static class SeveralGates
{
    /// <param name="args">The program's arguments (<c>--Gates:contoso:TenantId=...</c> and so on).</param>
    /// <param name="beforeBuild">What a test adds to the services (the emulator, a fake clock); the docs leave it out.</param>
    public static async Task RunAsync(string[] args, Action<IServiceCollection> beforeBuild)
    {
        ArgumentNullException.ThrowIfNull(beforeBuild);

        #region snippet:embedding-several-gates
        var builder = Host.CreateApplicationBuilder(args);
        foreach (var site in builder.Configuration.GetSection("Gates").GetChildren())  // Gates:contoso:TenantId, ...
        {
            builder.Services.AddNamedLocationGate(site.Key, options =>
            {
                options.LocationId = site["LocationId"];
                options.Credential = EntraCredential.ClientSecret(site["TenantId"]!, site["ClientId"]!, site["ClientSecret"]!);
            });
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ContosoDoor>();
        #endregion

        beforeBuild(builder.Services);

        #region snippet:embedding-several-gates
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<ContosoDoor>().OpenAsync("alice", IPAddress.Parse("203.0.113.7"));

        var gates = host.Services.GetRequiredService<NamedLocationGates>();
        foreach (var name in gates.Names)
        {
            Console.WriteLine($"{name}: {string.Join(", ", gates.Get(name).GetState().DesiredRanges)}");
        }
        // contoso: 203.0.113.7/32
        // fabrikam: 192.0.2.0/32

        await host.StopAsync();
        #endregion
    }

    #region snippet:embedding-several-gates
    // A service of the host that always works on the contoso gate.
    public sealed class ContosoDoor([FromKeyedServices("contoso")] INamedLocationGate gate, TimeProvider clock)
    {
        public Task OpenAsync(string user, IPAddress address) =>
            gate.GrantAsync(user, address, clock.GetUtcNow().AddHours(8));
    }
    #endregion
}
