using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>How a client is built without a container: the transport, the token source and the Graph pipeline.</summary>
public sealed partial class NamedLocationClient
{
    /// <summary>Builds a client with the SDK's pipeline: MSAL tokens, per-tenant pacing, retries and timeouts.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <returns>The client; dispose it to release its connections.</returns>
    /// <exception cref="ArgumentException">The options are incomplete or out of range.</exception>
    public static NamedLocationClient Create(NamedLocationClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Cloud, nameof(options.Cloud));
        ArgumentNullException.ThrowIfNull(options.Resilience, nameof(options.Resilience));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        if (options.Credential is null && options.TokenSource is null)
        {
            throw new ArgumentException("Set Credential (or TokenSource) to sign in to Entra.", nameof(options));
        }

        options.Resilience.Validate();
        if (Transports.FollowRedirects(options.Transport))
        {
            // A followed redirect would carry the token, or MSAL's form with the client secret, to another host.
            throw new ArgumentException("The transport follows redirects; set AllowAutoRedirect = false.", nameof(options));
        }

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<NamedLocationClient>();
        var transport = options.Transport
            ?? (options.TrustedRootCertificates is { Count: > 0 } roots ? Transports.Trusted(roots) : SharedTransport.Value);
        var tokens = options.TokenSource ?? new MsalAccessTokenSource(options.Credential!, options.Cloud, transport, logger);
        var limiter = PacingFor(options.TimeProvider, options.Cloud, options.Credential);

        // The token first, then the pipeline: each attempt takes the tenant's turn, and the resend after a 401 takes
        // its own. A gate's transport from the host's client builder already carries the pipeline.
        var graphCalls = options.TransportHasGraphPipeline
            ? transport
            : new ResilienceHandler(GraphResiliencePipeline.Build(options.Resilience, options.TimeProvider, limiter, new GraphDiagnostics(logger, options.Events))) { InnerHandler = transport };
        var pipeline = new GraphAuthenticationHandler(tokens, options.Cloud.GraphRoot) { InnerHandler = graphCalls };

        // The transport is the caller's or the process-wide default: neither is disposed with one client.
        var http = new HttpClient(pipeline, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return new NamedLocationClient(http, ownsHttp: true, options.Cloud, options.TimeProvider, logger, options.Resilience.AttemptTimeout) { Limiter = limiter };
    }

    /// <summary>
    /// The pacer of the tenant a client signs in to, shared by every client of that tenant and clock in the process:
    /// the one the pipeline takes turns on and the one a gate waits on before its snapshot.
    /// </summary>
    internal static TenantRateLimiter PacingFor(TimeProvider timeProvider, EntraCloud cloud, EntraCredential? credential)
    {
        var tenant = credential?.TenantId ?? credential?.ToString() ?? "token-source";
        return TenantRateLimiter.For(timeProvider, $"{cloud.GraphRoot.Authority}|{tenant}");
    }
}
