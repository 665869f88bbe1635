using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Graph;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>
/// Total timeout, then retries with <c>Retry-After</c> or capped exponential backoff with jitter; inside each
/// attempt, the tenant's pacing slot first and only then the attempt timeout, so waiting one's turn is never
/// mistaken for a slow Graph.
/// </summary>
internal sealed class GraphResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _calls;
    private readonly ResiliencePipeline<HttpResponseMessage> _attempt;
    private readonly TenantRateLimiter _limiter;
    private readonly TimeSpan _interval;

    public GraphResilienceHandler(GraphResilienceOptions options, TimeProvider timeProvider, TenantRateLimiter limiter, ILogger logger)
    {
        _limiter = limiter;
        _interval = options.TenantRequestInterval;
        var random = options.Random;
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .Handle<EntraException>(e => e.IsTransient)
                .HandleResult(response => GraphFailures.IsTransient(response.StatusCode)),
            DelayGenerator = args =>
            {
                if (args.Outcome.Result is { } response && RetryAfter.Read(response, timeProvider.GetUtcNow()) is { } wait)
                {
                    var capped = wait < options.MaxDelay ? wait : options.MaxDelay;
                    limiter.Defer(capped);
                    return ValueTask.FromResult<TimeSpan?>(capped);
                }

                return ValueTask.FromResult<TimeSpan?>(null);
            },
            OnRetry = args =>
            {
                var status = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;
                Log.RetryingGraphCall(logger, args.AttemptNumber + 1, status, args.Outcome.Exception?.GetType().Name, args.RetryDelay);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };

        if (random is not null)
        {
            retry.Randomizer = () =>
            {
                lock (random)
                {
                    return random.NextDouble();
                }
            };
        }

        _calls = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(retry)
            .Build();
        _attempt = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _calls.ExecuteAsync(
            static async (state, token) =>
            {
                await state.Handler._limiter.WaitAsync(state.Handler._interval, token).ConfigureAwait(false);
                return await state.Handler._attempt.ExecuteAsync(
                    static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInnerAsync(state.Request, token)),
                    state,
                    token).ConfigureAwait(false);
            },
            (Handler: this, Request: request),
            cancellationToken).AsTask();

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
