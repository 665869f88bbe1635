using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>What the SDK requires of a caller's HTTP transport.</summary>
internal static class Transports
{
    /// <summary>
    /// The SDK's own transport: never follows redirects (they could carry the token or the client secret to another
    /// host), renews pooled connections every 5 minutes so DNS changes are seen, and gives up connecting after 15 s.
    /// </summary>
    public static SocketsHttpHandler CreateDefault() => CreateDefault(null);

    // One transport per set of roots, process-wide like the default one: MSAL caches its application (and its
    // tokens) per transport, so clients trusting the same roots share sign-ins and connections.
    private static readonly ConcurrentDictionary<string, Lazy<SocketsHttpHandler>> Trusting = new(StringComparer.Ordinal);

    /// <summary>
    /// The SDK's own transport, trusting only <paramref name="trustedRoots"/> when any are given: the server's chain
    /// must end in one of them, and its name and dates are checked as always. The machine's roots are then not used;
    /// nothing is trusted globally.
    /// </summary>
    /// <param name="trustedRoots">The roots, or null or empty for the machine's.</param>
    /// <returns>A new handler.</returns>
    public static SocketsHttpHandler CreateDefault(X509Certificate2Collection? trustedRoots)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (trustedRoots is { Count: > 0 })
        {
            // Revocation as the default transport does it (SslStream's default, no check): a private CA seldom serves
            // a revocation list, and an unknown status would fail every call.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            foreach (var root in trustedRoots)
            {
                // A copy: the caller may dispose its certificates once the options are built.
                policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(root.RawData));
            }

            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return handler;
    }

    /// <summary>The process-wide transport trusting exactly <paramref name="trustedRoots"/>.</summary>
    /// <param name="trustedRoots">The roots; not empty.</param>
    /// <returns>The shared handler for those roots.</returns>
    public static SocketsHttpHandler Trusted(X509Certificate2Collection trustedRoots)
    {
        var key = string.Join(',', trustedRoots.Select(root => root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).Order(StringComparer.Ordinal));
        return Trusting.GetOrAdd(key, _ => new Lazy<SocketsHttpHandler>(() => CreateDefault(trustedRoots))).Value;
    }

    /// <summary>
    /// Whether any handler down the chain follows redirects: a followed redirect would carry the token, or MSAL's form
    /// with the client secret, to another host. The whole chain is walked, since an <c>IHttpClientFactory</c>
    /// handler wraps the primary one.
    /// </summary>
    public static bool FollowRedirects(HttpMessageHandler? transport)
    {
        for (var handler = transport; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            if (handler is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
            {
                return true;
            }
        }

        return false;
    }
}
