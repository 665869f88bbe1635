using Azure.Identity;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Azure;

namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/entra-setup.md: signing in with an Azure.Core TokenCredential (compiled, not run: it needs a real tenant).</summary>
public static class AzureCredentials
{
    public static NamedLocationGateOptions WithTokenCredential(string locationId)
    {
        #region snippet:setup-token-credential
        // dotnet add package Knocknoc.Entra.Sdk.Azure (and Azure.Identity for the credentials)
        var options = new NamedLocationGateOptions { LocationId = locationId, Cloud = EntraCloud.Global };

        // Workload identity on AKS, a managed identity in Azure, environment variables or a developer's sign-in:
        // whatever DefaultAzureCredential finds first. Or any single credential, such as new WorkloadIdentityCredential().
        options.TokenSource = new TokenCredentialSource(new DefaultAzureCredential(), options.Cloud);
        #endregion
        return options;
    }
}
