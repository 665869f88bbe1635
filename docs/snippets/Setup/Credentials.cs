using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk;

namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/entra-setup.md: the four ways the SDK signs in (compiled, not run: they need a real tenant).</summary>
public static class Credentials
{
    public static EntraCredential ClientSecret(string tenantId, string clientId)
    {
        #region snippet:setup-client-secret
        // The secret's Value, never its Secret ID; from the environment or a secret store, never from source code.
        var credential = EntraCredential.ClientSecret(tenantId, clientId, Environment.GetEnvironmentVariable("ENTRA_CLIENT_SECRET")!);
        #endregion
        return credential;
    }

    public static EntraCredential[] Certificates(string tenantId, string clientId, string thumbprint)
    {
        #region snippet:setup-certificate
        // A PEM certificate with its private key in a second file (or in the same one: leave the key path out).
        var fromPem = EntraCredential.CertificateFromPemFile(tenantId, clientId, "/etc/knocknoc/entra.crt", "/etc/knocknoc/entra.key");

        // A PFX (PKCS#12) file and its password.
        var fromPfx = EntraCredential.CertificateFromPfxFile(tenantId, clientId, "/etc/knocknoc/entra.pfx", Environment.GetEnvironmentVariable("ENTRA_PFX_PASSWORD"));

        // A certificate you loaded yourself, here from the Windows certificate store by thumbprint; it must hold its private key.
        using var store = new X509Store(StoreName.My, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly);
        var certificate = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false)[0];
        var fromStore = EntraCredential.Certificate(tenantId, clientId, certificate);
        #endregion
        return [fromPem, fromPfx, fromStore];
    }

    public static EntraCredential ClientAssertion(string tenantId, string clientId)
    {
        #region snippet:setup-client-assertion
        // Workload identity federation: the platform writes a short-lived token from a trusted issuer to a file
        // (AKS workload identity names it in AZURE_FEDERATED_TOKEN_FILE). It is read again for every sign-in,
        // because the platform replaces it before it expires.
        var tokenFile = Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE")!;
        var credential = EntraCredential.ClientAssertion(tenantId, clientId, cancellationToken => File.ReadAllTextAsync(tokenFile, cancellationToken));
        #endregion
        return credential;
    }

    public static EntraCredential[] ManagedIdentities(string userAssignedClientId)
    {
        #region snippet:setup-managed-identity
        // The system-assigned identity of the VM, App Service, Container App or Function the host runs on.
        var systemAssigned = EntraCredential.ManagedIdentity();

        // A user-assigned identity attached to it, chosen by its client id.
        var userAssigned = EntraCredential.ManagedIdentity(userAssignedClientId);
        #endregion
        return [systemAssigned, userAssigned];
    }
}
