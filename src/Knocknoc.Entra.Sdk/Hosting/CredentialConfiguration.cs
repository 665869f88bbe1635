using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The credential from configuration, with the keys of Microsoft.Extensions.Azure: <c>tenantId</c> and <c>clientId</c>
/// with <c>clientSecret</c>, a certificate (<c>clientCertificate</c>: a store thumbprint, with
/// <c>clientCertificateStoreLocation</c>; or <c>clientCertificatePath</c>, a PFX or PEM file, with
/// <c>clientCertificatePassword</c> or <c>clientCertificateKeyPath</c>), or a federated token file (<c>tokenFilePath</c>,
/// as workload identity mounts it); or <c>credential = managedidentity</c> with an optional <c>clientId</c>.
/// </summary>
internal static class CredentialConfiguration
{
    private static readonly string[] Keys =
    [
        "credential", "tenantId", "clientId", "clientSecret", "clientCertificate", "clientCertificateStoreLocation",
        "clientCertificatePath", "clientCertificatePassword", "clientCertificateKeyPath", "tokenFilePath",
    ];

    public static void Bind(ConfigurationReader reader, IConfigurationSection section, NamedLocationGateOptions options)
    {
        if (!section.GetChildren().Any())
        {
            return;
        }

        reader.RefuseUnknown(section, Keys);
        string? Get(string key) => section[key] is { Length: > 0 } value ? value : null;
        var (tenant, client) = (Get("tenantId"), Get("clientId"));
        var kinds = new[] { Get("clientSecret"), Get("clientCertificate"), Get("clientCertificatePath"), Get("tokenFilePath") }.Count(k => k is not null);

        if (Get("credential") is { } kind)
        {
            if (!string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase))
            {
                reader.Problem($"{section.Path}:credential = '{ShownText.Of(kind)}' is not known: the one named credential is managedidentity.");
            }
            else if (kinds > 0 || tenant is not null)
            {
                reader.Problem($"{section.Path}: a managed identity takes only clientId (a user-assigned identity's), no tenantId, secret, certificate or token file.");
            }
            else
            {
                options.Credential = EntraCredential.ManagedIdentity(client);
            }

            return;
        }

        if (tenant is null || client is null || kinds != 1)
        {
            reader.Problem(
                $"{section.Path}: give tenantId and clientId with exactly one of clientSecret, clientCertificate, clientCertificatePath or tokenFilePath (or credential = managedidentity)." +
                (tenant is null ? " tenantId is missing." : string.Empty) + (client is null ? " clientId is missing." : string.Empty) +
                (kinds > 1 ? " More than one was given." : string.Empty));
            return;
        }

        try
        {
            options.Credential = Create(section, tenant, client, Get);
        }
        catch (ArgumentException error) when (error.ParamName is null)
        {
            // The SDK's own words (no such thumbprint) or an unknown store location: no secret in them.
            reader.Problem($"{section.Path}: the certificate could not be found: {error.Message}");
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The exception's type only: a certificate loader's message could quote a password or a path's content.
            reader.Problem($"{section.Path}: the certificate could not be loaded ({error.GetType().Name}); check the path, the password or the store and thumbprint.");
        }
    }

    private static EntraCredential Create(IConfigurationSection section, string tenant, string client, Func<string, string?> get)
    {
        if (get("clientSecret") is { } secret)
        {
            return EntraCredential.ClientSecret(tenant, client, secret);
        }

        if (get("tokenFilePath") is { } tokenFile)
        {
            // Read at every sign-in: the platform rotates the projected token file.
            return EntraCredential.ClientAssertion(tenant, client, cancellationToken => File.ReadAllTextAsync(tokenFile, cancellationToken));
        }

        if (get("clientCertificatePath") is { } path)
        {
            return path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? EntraCredential.CertificateFromPemFile(tenant, client, path, get("clientCertificateKeyPath"))
                : EntraCredential.CertificateFromPfxFile(tenant, client, path, get("clientCertificatePassword"));
        }

        var thumbprint = get("clientCertificate")!;
        var location = get("clientCertificateStoreLocation") is { } text
            ? Enum.Parse<StoreLocation>(text, ignoreCase: true)
            : StoreLocation.CurrentUser;
        using var store = new X509Store(StoreName.My, location);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
        return found.Count == 0
            ? throw new ArgumentException($"no certificate with thumbprint {ShownText.Of(thumbprint)} in {location}\\My")
            : EntraCredential.Certificate(tenant, client, found[0]);
    }
}
