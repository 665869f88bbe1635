using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// How the SDK signs in to Entra as an application: client secret, certificate, client assertion
/// (workload identity federation) or managed identity. <see cref="ToString"/> never shows secret material.
/// </summary>
public abstract class EntraCredential
{
    private protected EntraCredential(string? tenantId, string? clientId)
    {
        TenantId = tenantId;
        ClientId = clientId;
    }

    /// <summary>Gets the directory (tenant) id; null for a managed identity, which knows its own.</summary>
    public string? TenantId { get; }

    /// <summary>Gets the application (client) id; for a managed identity, the user-assigned identity's client id or null.</summary>
    public string? ClientId { get; }

    /// <summary>Identifies the credential for caching MSAL applications, without holding the secret.</summary>
    internal abstract string CacheKey { get; }

    /// <summary>Signs in with a client secret's value (not its id).</summary>
    /// <param name="tenantId">The directory (tenant) id or domain.</param>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="clientSecret">The secret's value.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public static EntraCredential ClientSecret(string tenantId, string clientId, string clientSecret)
    {
        RequireTenant(tenantId);
        RequireClient(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        return new ClientSecretCredential(tenantId, clientId, clientSecret);
    }

    /// <summary>Signs in with a certificate holding its private key.</summary>
    /// <param name="tenantId">The directory (tenant) id or domain.</param>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="certificate">The certificate, with its private key.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty, or the certificate has no private key.</exception>
    public static EntraCredential Certificate(string tenantId, string clientId, X509Certificate2 certificate)
    {
        RequireTenant(tenantId);
        RequireClient(clientId);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The certificate has no private key, so it cannot sign in.", nameof(certificate));
        }

        return new CertificateCredential(tenantId, clientId, certificate);
    }

    /// <summary>Signs in with a certificate loaded from a PFX (PKCS#12) file.</summary>
    /// <param name="tenantId">The directory (tenant) id or domain.</param>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="pfxPath">The PFX file.</param>
    /// <param name="password">The file's password, or null.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CryptographicException">The file is not a PFX, or the password is wrong.</exception>
    public static EntraCredential CertificateFromPfxFile(string tenantId, string clientId, string pfxPath, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pfxPath);
        return Certificate(tenantId, clientId, X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password));
    }

    /// <summary>Signs in with a certificate and its key from PEM files.</summary>
    /// <param name="tenantId">The directory (tenant) id or domain.</param>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="certificatePemPath">The certificate's PEM file.</param>
    /// <param name="keyPemPath">The private key's PEM file, or null when it is in the certificate's file.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CryptographicException">The files do not hold a certificate and its key.</exception>
    public static EntraCredential CertificateFromPemFile(string tenantId, string clientId, string certificatePemPath, string? keyPemPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePemPath);
        return Certificate(tenantId, clientId, X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath));
    }

    /// <summary>Signs in with a signed client assertion, such as a federated token (workload identity federation).</summary>
    /// <param name="tenantId">The directory (tenant) id or domain.</param>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="getAssertion">Returns a fresh assertion (a JWT) each time it is called.</param>
    /// <returns>The credential.</returns>
    public static EntraCredential ClientAssertion(string tenantId, string clientId, Func<CancellationToken, Task<string>> getAssertion)
    {
        RequireTenant(tenantId);
        RequireClient(clientId);
        ArgumentNullException.ThrowIfNull(getAssertion);
        return new ClientAssertionCredential(tenantId, clientId, getAssertion);
    }

    /// <summary>Signs in as the Azure managed identity of the host: system-assigned, or user-assigned by client id.</summary>
    /// <param name="userAssignedClientId">The user-assigned identity's client id, or null for the system-assigned identity.</param>
    /// <returns>The credential.</returns>
    public static EntraCredential ManagedIdentity(string? userAssignedClientId = null) => new ManagedIdentityCredential(userAssignedClientId);

    /// <summary>Describes the credential without its secret material.</summary>
    /// <returns>Text such as <c>ClientSecret(tenant contoso.onmicrosoft.com, client 1111…)</c>.</returns>
    public abstract override string ToString();

    private static void RequireTenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (!Guid.TryParse(tenantId, out _) && Uri.CheckHostName(tenantId) != UriHostNameType.Dns)
        {
            throw new ArgumentException($"'{ShownText.Of(tenantId)}' is not a tenant id (a GUID) or a tenant domain name.", nameof(tenantId));
        }
    }

    private static void RequireClient(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        if (!Guid.TryParse(clientId, out _))
        {
            throw new ArgumentException($"'{ShownText.Of(clientId)}' is not an application (client) id: a GUID.", nameof(clientId));
        }
    }

    private static string Fingerprint(ReadOnlySpan<byte> material) => Convert.ToHexString(SHA256.HashData(material))[..16];

    internal sealed class ClientSecretCredential(string tenantId, string clientId, string secret) : EntraCredential(tenantId, clientId)
    {
        internal string Secret { get; } = secret;

        internal override string CacheKey { get; } = $"secret:{Fingerprint(Encoding.UTF8.GetBytes(secret))}";

        public override string ToString() => $"ClientSecret(tenant {TenantId}, client {ClientId})";
    }

    internal sealed class CertificateCredential(string tenantId, string clientId, X509Certificate2 certificate) : EntraCredential(tenantId, clientId)
    {
        internal X509Certificate2 SigningCertificate { get; } = certificate;

        // Per instance as well as thumbprint: a cached MSAL application must not outlive the certificate object it holds.
        internal override string CacheKey { get; } = $"certificate:{certificate.Thumbprint}:{System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(certificate)}";

        public override string ToString() => $"Certificate(tenant {TenantId}, client {ClientId}, thumbprint {SigningCertificate.Thumbprint})";
    }

    internal sealed class ClientAssertionCredential(string tenantId, string clientId, Func<CancellationToken, Task<string>> getAssertion) : EntraCredential(tenantId, clientId)
    {
        internal Func<CancellationToken, Task<string>> GetAssertion { get; } = getAssertion;

        internal override string CacheKey { get; } = $"assertion:{Guid.NewGuid():N}";

        public override string ToString() => $"ClientAssertion(tenant {TenantId}, client {ClientId})";
    }

    internal sealed class ManagedIdentityCredential(string? userAssignedClientId) : EntraCredential(null, userAssignedClientId)
    {
        internal override string CacheKey => $"managed:{ClientId ?? "system"}";

        public override string ToString() => ClientId is null ? "ManagedIdentity(system-assigned)" : $"ManagedIdentity(user-assigned {ClientId})";
    }
}
