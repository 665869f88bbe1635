using Knocknoc.Entra.Sdk.Diagnostics;
using Polly;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The one resilience pipeline of Graph calls, for <c>Microsoft.Extensions.Http.Resilience</c>'s
/// <c>ResilienceHandler</c>: a total timeout, then retries (<see cref="GraphRetry"/>: Graph's <c>Retry-After</c>, or
/// capped exponential backoff with jitter), and inside each attempt the tenant's pacing turn
/// (<see cref="PacingStrategy"/>) first and only then the attempt timeout, so waiting one's turn is never mistaken for
/// a slow Graph. Built once per client by <c>NamedLocationClient.Create</c>, or by the handler on a host's gate client.
/// </summary>
internal static class GraphResiliencePipeline
{
    /// <summary>The name of the pipeline on a gate's <c>IHttpClientBuilder</c>: its key and telemetry name are <c>{client}-graph</c>.</summary>
    public const string Name = "graph";

    /// <summary>The pipeline instance for Graph calls.</summary>
    public const string GraphInstance = "graph";

    /// <summary>
    /// The pipeline instance, empty, for the sign-in requests that MSAL sends through the same transport: they are not
    /// Graph calls, count nothing against the tenant's Graph budget, and MSAL retries them itself.
    /// </summary>
    public const string SignInInstance = "sign-in";

    /// <summary>Which instance serves <paramref name="request"/>: the sign-in client marks its own requests.</summary>
    /// <param name="request">The request about to be sent.</param>
    /// <returns><see cref="SignInInstance"/> or <see cref="GraphInstance"/>.</returns>
    public static string InstanceFor(HttpRequestMessage request) =>
        request.Options.TryGetValue(GraphRequestOptions.IsSignIn, out var signIn) && signIn ? SignInInstance : GraphInstance;

    /// <summary>Builds the pipeline without a container, for a client made by <c>NamedLocationClient.Create</c>.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(GraphResilienceOptions options, TimeProvider timeProvider, TenantRateLimiter limiter, GraphDiagnostics diagnostics)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options, timeProvider, limiter, diagnostics);
        return builder.Build();
    }

    /// <summary>Adds the strategies, outermost first, on the client's clock.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, GraphResilienceOptions options, TimeProvider timeProvider, TenantRateLimiter limiter, GraphDiagnostics diagnostics)
    {
        builder.TimeProvider = timeProvider;
        builder.AddTimeout(options.TotalTimeout);

        // No retries is a valid choice (the gate retries on its own schedule); Polly's retry needs at least one.
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(GraphRetry.Options(options, timeProvider, diagnostics));
        }

        builder.AddStrategy(_ => new PacingStrategy(limiter, options, timeProvider, diagnostics));
        builder.AddTimeout(options.AttemptTimeout);
    }
}
