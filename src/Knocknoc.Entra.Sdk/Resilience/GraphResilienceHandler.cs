using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using System.Runtime.CompilerServices;
using System.Security.Authentication;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>
/// Total timeout, then retries with <c>Retry-After</c> or capped exponential backoff with jitter; inside each
/// attempt, the tenant's pacing turn first and only then the attempt timeout, so waiting one's turn is never
/// mistaken for a slow Graph. The turn travels on the request (<see cref="PacingTurn.Key"/>) to the handler that
/// sends, and ends with the attempt.
/// </summary>
internal sealed class GraphResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpMethod> MethodKey = new("Knocknoc.Entra.Method");
    private static readonly ResiliencePropertyKey<bool> OffPacingKey = new("Knocknoc.Entra.OffPacing");

    private readonly ResiliencePipeline<HttpResponseMessage> _calls;
    private readonly ResiliencePipeline<HttpResponseMessage> _attempt;
    private readonly TenantRateLimiter _limiter;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _margin;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _timeProvider;

    private readonly GraphDiagnostics _diagnostics;

    public GraphResilienceHandler(GraphResilienceOptions options, TimeProvider timeProvider, TenantRateLimiter limiter, GraphDiagnostics diagnostics)
    {
        _diagnostics = diagnostics;
        _limiter = limiter;
        _interval = options.TenantRequestInterval;
        _margin = options.TenantRequestMargin;
        _maxDelay = options.MaxDelay;
        _timeProvider = timeProvider;
        var random = options.Random;
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.Properties.GetValue(MethodKey, HttpMethod.Get))),
            DelayGenerator = args =>
            {
                if (args.Outcome.Result is { } response && RetryAfter.Read(response, timeProvider.GetUtcNow()) is { } wait)
                {
                    var capped = wait < options.MaxDelay ? wait : options.MaxDelay;
                    if (!args.Context.Properties.GetValue(OffPacingKey, false))
                    {
                        limiter.Defer(capped);
                    }

                    return ValueTask.FromResult<TimeSpan?>(capped);
                }

                return ValueTask.FromResult<TimeSpan?>(null);
            },
            OnRetry = args =>
            {
                diagnostics.Retrying(args.AttemptNumber + 1, args.Outcome.Result?.StatusCode, args.Outcome.Exception, args.RetryDelay);
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

        // No retries is a valid choice (the gate retries on its own schedule); Polly's retry needs at least one.
        var calls = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }.AddTimeout(options.TotalTimeout);
        _calls = (options.MaxRetryAttempts > 0 ? calls.AddRetry(retry) : calls).Build();
        _attempt = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var offPacing = request.Options.TryGetValue(GraphRequestOptions.OffPacing, out var off) && off;
        var resendable = request.Options.TryGetValue(GraphRequestOptions.SafeToResend, out var safe) && safe;

        // A POST that is safe to send twice is retried as a PUT would be: the method only decides what may be resent.
        context.Properties.Set(MethodKey, resendable && request.Method == HttpMethod.Post ? HttpMethod.Put : request.Method);
        context.Properties.Set(OffPacingKey, offPacing);
        try
        {
            var attempts = new StrongBox<int>();
            return await _calls.ExecuteAsync(
                static async (context, state) =>
                {
                    if (++state.Attempts.Value > 1)
                    {
                        state.Request.Options.Set(GraphRequestOptions.WasRetried, true);
                    }

                    // The turn lasts until the answer's headers: the handler that sends stamps when it left and
                    // when the answer came, so the next request is paced on what Graph saw.
                    using var turn = state.OffPacing ? null : await state.Handler._limiter.WaitAsync(state.Handler._interval, state.Handler._margin, state.Handler._diagnostics.PacingWait, context.CancellationToken).ConfigureAwait(false);
                    state.Request.Options.Set(PacingTurn.Key, turn);
                    try
                    {
                        return await state.Handler._attempt.ExecuteAsync(
                            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInnerAsync(state.Request, token)),
                            state,
                            context.CancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        state.Request.Options.Set(PacingTurn.Key, null);
                    }
                },
                context,
                (Handler: this, Request: request, Attempts: attempts, OffPacing: offPacing)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Whether trying again is both useful and safe. A POST that may have reached Graph is never resent (it would
    /// create a second location); TLS failures are not transient; a connect timeout is.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod method)
    {
        var idempotent = method != HttpMethod.Post;
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

    private async Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 429)
        {
            // Graph's word holds for every request to the tenant from this process, retried here or not; a call off
            // the Conditional Access budget was throttled by another limit, which says nothing about this one.
            var offPacing = request.Options.TryGetValue(GraphRequestOptions.OffPacing, out var off) && off;
            var wait = RetryAfter.Read(response, _timeProvider.GetUtcNow()) is { } asked ? (asked < _maxDelay ? asked : _maxDelay) : (TimeSpan?)null;
            if (!offPacing && wait is { } deferred)
            {
                _limiter.Defer(deferred);
            }

            _diagnostics.Throttled(request.RequestUri?.Host ?? string.Empty, wait);
        }

        return response;
    }
}
