#region snippet:readme-graph-client
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
#endregion

namespace Knocknoc.Entra.DocSnippets.Readme;

/// <summary>README's direct use of the typed Graph client (needs a real tenant: compiled, not run).</summary>
public static class GraphClientExample
{
    public static async Task RunAsync(string tenantId, string clientId, string namedLocationId)
    {
        #region snippet:readme-graph-client
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(tenantId, clientId, Environment.GetEnvironmentVariable("ENTRA_CLIENT_SECRET")!),
        });
        var location = await client.GetIpAsync(namedLocationId);           // ENTRA052 if missing, ENTRA053 if a countries location
        var desired = location.ToSet().Union(CidrSet.Create(Cidr.Parse("203.0.113.7/32")));
        if (!desired.SetEquals(location.ToSet()))
        {
            await client.UpdateIpRangesAsync(namedLocationId, desired.ToCidrs()); // one PATCH of the whole list
        }
        #endregion
    }
}
