#region snippet:setup-gate-options
using Knocknoc.Entra.Sdk;
#endregion

namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/entra-setup.md: where each value of the setup goes in the gate's options.</summary>
public static class GateOptions
{
    public static NamedLocationGateOptions Create(string tenantId, string clientId, string locationId)
    {
        #region snippet:setup-gate-options
        var options = new NamedLocationGateOptions
        {
            LocationId = locationId,                                // the location's Id (a GUID), from step 4
            NameGuard = LocationNameGuard.Prefix("knocknoc_"),      // refuse any location whose name lacks the prefix (ENTRA060)
            Credential = EntraCredential.ClientSecret(tenantId, clientId, Environment.GetEnvironmentVariable("ENTRA_CLIENT_SECRET")!),
            Cloud = EntraCloud.Global,                              // the default; see "National clouds"
        };
        #endregion
        return options;
    }
}
