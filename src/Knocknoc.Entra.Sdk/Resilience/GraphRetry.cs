using System.Security.Authentication;
using Knocknoc.Entra.Sdk.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The retry strategy's plug-ins: which outcomes are worth another attempt and safe to resend, Graph's own
/// <c>Retry-After</c> as the delay (fractional seconds included, which the typed header rejects), and the log line and
/// request mark of each retry.
/// </summary>
internal static class GraphRetry
{
    /// <summary>The retry options of the Graph pipeline.</summary>
    public static RetryStrategyOptions<HttpResponseMessage> Options(GraphResilienceOptions options, TimeProvider timeProvider, GraphDiagnostics diagnostics)
    {
        var maxDelay = options.MaxDelay;
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = maxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, RetryMethod(args.Context.GetRequestMessage()))),
            DelayGenerator = args => ValueTask.FromResult(RetryAfterDelay(args.Outcome, timeProvider.GetUtcNow(), maxDelay)),
            OnRetry = args =>
            {
                // Read back by the client: a 404 to a retried DELETE means an earlier attempt worked.
                args.Context.GetRequestMessage()?.Options.Set(GraphRequestOptions.WasRetried, true);
                diagnostics.Retrying(args.AttemptNumber + 1, args.Outcome.Result?.StatusCode, args.Outcome.Exception, args.RetryDelay);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };

        if (options.Random is { } random)
        {
            retry.Randomizer = () =>
            {
                lock (random)
                {
                    return random.NextDouble();
                }
            };
        }

        return retry;
    }

    /// <summary>
    /// Whether trying again is both useful and safe. A POST that may have reached Graph is never resent (it would
    /// create a second location); a request whose method is unknown is treated as one. The SDK's PATCH sends the whole
    /// list of ranges, so sending it twice leaves what sending it once does. TLS failures are not transient; a
    /// connect timeout is.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        var idempotent = method is not null && method != HttpMethod.Post;
        if (outcome.Result is { } response)
        {
            return (int)response.StatusCode == 429 || (idempotent && TransientStatus.Is(response.StatusCode));
        }

        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => false,
            HttpRequestException { InnerException: AuthenticationException } => false,
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } => true,
            HttpRequestException => idempotent,
            TimeoutRejectedException => idempotent,
            OperationCanceledException { InnerException: TimeoutException } => true,
            EntraException failure => failure.IsTransient,
            _ => false,
        };
    }

    /// <summary>
    /// The method that decides what may be resent: a POST that is safe to send twice (What If, ending sessions) is
    /// retried as a PUT would be.
    /// </summary>
    internal static HttpMethod? RetryMethod(HttpRequestMessage? request) =>
        request is null ? null
        : request.Method == HttpMethod.Post && request.Options.TryGetValue(GraphRequestOptions.SafeToResend, out var safe) && safe ? HttpMethod.Put
        : request.Method;

    /// <summary>Graph's <c>Retry-After</c>, capped at <paramref name="maxDelay"/>; null lets the backoff decide.</summary>
    internal static TimeSpan? RetryAfterDelay(Outcome<HttpResponseMessage> outcome, DateTimeOffset now, TimeSpan maxDelay) =>
        outcome.Result is { } response && RetryAfter.Read(response, now) is { } wait
            ? (wait < maxDelay ? wait : maxDelay)
            : null;
}
