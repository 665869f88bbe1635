#region snippet:ha-host
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
#endregion

namespace Knocknoc.Entra.DocSnippets.HighAvailability;

/// <summary>
/// high-availability.md: one agent host of a shared location (compiled, not run: it needs a database and a tenant;
/// SharedGateHostingTests runs the same registration against both).
/// </summary>
public static class WithPostgreSql
{
    public static IHost Build(string connectionString, string locationId, string tenantId, string clientId, X509Certificate2 certificate)
    {
        var builder = Host.CreateApplicationBuilder();

        #region snippet:ha-host
        // The container builds the data source and disposes it after the gate (which gives its lease up first).
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddPostgreSqlNamedLocationGate("vpn", options =>
        {
            options.Gate.LocationId = locationId;                    // the SDK's gate options, as for any gate
            options.Gate.Credential = EntraCredential.Certificate(tenantId, clientId, certificate);
            options.AgentName = Environment.MachineName;             // optional: this agent's name in the table
        });
        #endregion

        return builder.Build();
    }
}
