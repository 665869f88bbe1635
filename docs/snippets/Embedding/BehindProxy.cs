#region snippet:embedding-proxy
using System.Net;
using Knocknoc.Entra.Sdk;
using Microsoft.Extensions.DependencyInjection;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: the gate's HTTP client through an outbound proxy (compiled, not run: it needs a proxy).</summary>
public static class BehindProxy
{
    public static void Register(IServiceCollection services, Uri proxyAddress, Action<NamedLocationGateOptions> configureGate)
    {
        #region snippet:embedding-proxy
        services.AddNamedLocationGate(configureGate)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                Proxy = new WebProxy(proxyAddress),
                UseProxy = true,
                AllowAutoRedirect = false,                          // required: a handler that follows redirects fails the start
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // as the SDK's own: DNS changes are seen
            });
        #endregion
    }
}
