using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk;

namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>
/// How the tool signs in, from its settings: a client secret (the value or a file), a certificate (a PFX or PEM file,
/// or a store thumbprint) or the host's managed identity. Exactly one; an error names the setting, never a value, nor
/// a loader's message (which could quote a password or a file's content).
/// </summary>
internal static class CliCredential
{
    /// <summary>The keys that each choose a way to sign in: a layer that sets one overrides all of them below it.</summary>
    public static readonly string[] Choices =
    [
        SettingKeys.ClientSecret, SettingKeys.ClientSecretFile, SettingKeys.CertificateFile, SettingKeys.CertificateThumbprint, SettingKeys.Credential,
    ];

    /// <summary>Describes the way chosen, for <c>doctor</c>: never the secret.</summary>
    /// <param name="get">Reads a setting.</param>
    /// <returns>Text such as <c>client secret set</c>, or null when none is chosen.</returns>
    public static string? Describe(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return get(SettingKeys.Credential) is not null ? "managed identity"
            : get(SettingKeys.CertificateFile) is { } file ? $"certificate file {file}"
            : get(SettingKeys.CertificateThumbprint) is { } thumbprint ? $"certificate {thumbprint} in {get(SettingKeys.CertificateStore) ?? "CurrentUser"}\\My"
            : get(SettingKeys.ClientSecret) is not null || get(SettingKeys.ClientSecretFile) is not null ? "client secret set"
            : null;
    }

    /// <summary>Whether the settings sign in as a managed identity (which needs no tenant id).</summary>
    /// <param name="get">Reads a setting.</param>
    /// <returns>True for <c>credential=managed_identity</c>.</returns>
    public static bool IsManagedIdentity(Func<string, string?> get) => get?.Invoke(SettingKeys.Credential) is not null;

    /// <summary>Builds the credential.</summary>
    /// <param name="get">Reads a setting.</param>
    /// <param name="readSecret">Reads the client secret (the value or its file).</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ConfigurationException">A setting is wrong, or a certificate cannot be loaded.</exception>
    public static EntraCredential Create(Func<string, string?> get, Func<string> readSecret)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(readSecret);
        if (get(SettingKeys.Credential) is { } kind)
        {
            return string.Equals(kind, SettingKeys.ManagedIdentity, StringComparison.OrdinalIgnoreCase)
                ? ManagedIdentity(get(SettingKeys.ClientId))
                : throw new ConfigurationException($"{SettingKeys.Credential} is not known: the one it takes is {SettingKeys.ManagedIdentity} (a secret or certificate needs no {SettingKeys.Credential})");
        }

        var (tenant, client) = (get(SettingKeys.TenantId)!, get(SettingKeys.ClientId)!);
        try
        {
            if (get(SettingKeys.CertificateFile) is { } file)
            {
                return FromFile(tenant, client, file, get(SettingKeys.CertificateKeyFile), get(SettingKeys.CertificatePassword));
            }

            if (get(SettingKeys.CertificateThumbprint) is { } thumbprint)
            {
                return FromStore(tenant, client, thumbprint, get(SettingKeys.CertificateStore));
            }

            return EntraCredential.ClientSecret(tenant, client, readSecret());
        }
        catch (ArgumentException error) when (error.ParamName is "tenantId" or "clientId")
        {
            // Never the SDK's message: it quotes the value, and a value in the wrong setting may be the secret.
            throw new ConfigurationException(
                error.ParamName == "tenantId"
                    ? $"{SettingKeys.TenantId} is neither a tenant id (a GUID) nor a tenant domain name"
                    : $"{SettingKeys.ClientId} is not an application (client) id (a GUID)",
                error);
        }
        catch (ArgumentException error) when (error.ParamName is "certificate")
        {
            throw new ConfigurationException($"the certificate has no private key, so it cannot sign in: give the key ({SettingKeys.CertificateKeyFile} beside a PEM file)", error);
        }
        catch (ArgumentException error) when (error.ParamName is "clientSecret")
        {
            throw new ConfigurationException($"{SettingKeys.ClientSecret} is empty", error);
        }
    }

    private static EntraCredential ManagedIdentity(string? clientId) =>
        clientId is null || Guid.TryParse(clientId, out _)
            ? EntraCredential.ManagedIdentity(clientId)
            : throw new ConfigurationException($"{SettingKeys.ClientId} is not a user-assigned identity's client id (a GUID)");

    private static EntraCredential FromFile(string tenant, string client, string file, string? keyFile, string? password)
    {
        var pem = file.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".crt", StringComparison.OrdinalIgnoreCase);
        try
        {
            return pem
                ? EntraCredential.CertificateFromPemFile(tenant, client, file, keyFile)
                : EntraCredential.CertificateFromPfxFile(tenant, client, file, password);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // The type only: a loader's message may quote the password or the file's content.
            var what = pem ? $"a PEM certificate and its key ({SettingKeys.CertificateKeyFile} when apart)" : $"a PFX file opened by {SettingKeys.CertificatePassword}";
            throw new ConfigurationException($"{SettingKeys.CertificateFile} {file} cannot be loaded as {what} ({error.GetType().Name})", error);
        }
    }

    private static EntraCredential FromStore(string tenant, string client, string thumbprint, string? storeText)
    {
        if (!Enum.TryParse<StoreLocation>(storeText ?? nameof(StoreLocation.CurrentUser), ignoreCase: true, out var location) || !Enum.IsDefined(location))
        {
            throw new ConfigurationException($"{SettingKeys.CertificateStore} is neither CurrentUser nor LocalMachine");
        }

        using var store = new X509Store(StoreName.My, location);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException error)
        {
            throw new ConfigurationException($"the {location}\\My certificate store cannot be opened ({error.GetType().Name})", error);
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
        if (found.Count == 0)
        {
            throw new ConfigurationException($"no certificate with {SettingKeys.CertificateThumbprint} {thumbprint} in {location}\\My");
        }

        return EntraCredential.Certificate(tenant, client, found[0]);
    }
}
