#region snippet:setup-create-location
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Graph;
#endregion

namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/entra-setup.md: creating the IP named location through the SDK instead of the admin center.</summary>
public static class CreateLocation
{
    public static async Task RunAsync(string tenantId, string clientId)
    {
        #region snippet:setup-create-location
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(tenantId, clientId, Environment.GetEnvironmentVariable("ENTRA_CLIENT_SECRET")!),
        });

        // The sentinel 192.0.2.0/32 only: Graph refuses an empty list. Not trusted (see below).
        var location = await client.CreateIpAsync("knocknoc_vpn", [NamedLocationGateOptions.DefaultSentinel], isTrusted: false);
        Console.WriteLine($"LocationId = {location.Id}");
        #endregion
    }
}
