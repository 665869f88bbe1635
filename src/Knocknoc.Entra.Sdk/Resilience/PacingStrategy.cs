using Knocknoc.Entra.Sdk.Diagnostics;
using Polly;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>
/// Each attempt's turn in its tenant's pacing (<see cref="TenantRateLimiter"/>): it waits for the turn and slot,
/// stamps when the request leaves and when its answer's headers arrive, so the next request is paced on what Graph saw,
/// and ends the turn with the attempt. A 429 is Graph's word for every request to the tenant from this process, retried
/// or not: its <c>Retry-After</c> holds the tenant's next slot back.
/// </summary>
internal sealed class PacingStrategy(TenantRateLimiter limiter, GraphResilienceOptions options, TimeProvider timeProvider) : ResilienceStrategy<HttpResponseMessage>
{
    private readonly TimeSpan _interval = options.TenantRequestInterval;
    private readonly TimeSpan _margin = options.TenantRequestMargin;
    private readonly TimeSpan _maxDelay = options.MaxDelay;

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        PacingTurn turn;
        try
        {
            turn = await limiter.WaitAsync(_interval, _margin, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException cancelled)
        {
            return Outcome.FromException<HttpResponseMessage>(cancelled);
        }

        using (turn)
        {
            turn.Sending();
            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            turn.Answered();
            if (outcome.Result is { } response && (int)response.StatusCode == 429)
            {
                GateMetrics.Throttled();
                if (RetryAfter.Read(response, timeProvider.GetUtcNow()) is { } wait)
                {
                    limiter.Defer(wait < _maxDelay ? wait : _maxDelay);
                }
            }

            return outcome;
        }
    }
}

