namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>What the SDK requires of a caller's HTTP transport.</summary>
internal static class Transports
{
    /// <summary>
    /// The SDK's own transport: never follows redirects (they could carry the token or the client secret to another
    /// host), renews pooled connections every 5 minutes so DNS changes are seen, and gives up connecting after 15 s.
    /// </summary>
    public static SocketsHttpHandler CreateDefault() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };

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
