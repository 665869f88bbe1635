using Knocknoc.Entra.Sdk.Diagnostics;
using Polly;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Each attempt's turn in its tenant's pacing (<see cref="TenantRateLimiter"/>): it waits for the turn and slot,
/// stamps when the request leaves and when its answer's headers arrive, so the next request is paced on what Graph saw,
/// and ends the turn with the attempt. A 429 is Graph's word for every request to the tenant from this process, retried
/// or not: its <c>Retry-After</c> holds the tenant's next slot back.
/// </summary>
internal sealed class PacingStrategy(TenantRateLimiter limiter, GraphResilienceOptions options, TimeProvider timeProvider, GraphDiagnostics diagnostics) : ResilienceStrategy<HttpResponseMessage>
{
    private readonly TimeSpan _interval = options.TenantRequestInterval;
    private readonly TimeSpan _margin = options.TenantRequestMargin;
    private readonly TimeSpan _maxDelay = options.MaxDelay;

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        // A call the directory throttles rather than Conditional Access (ending sign-in sessions) takes no turn, and
        // its 429 says nothing about the tenant's Conditional Access budget.
        var request = context.GetRequestMessage();
        if (request is not null && request.Options.TryGetValue(GraphRequestOptions.OffPacing, out var off) && off)
        {
            var unpaced = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            Throttled(unpaced, request, holdTenant: false);
            return unpaced;
        }

        PacingTurn turn;
        try
        {
            turn = await limiter.WaitAsync(_interval, _margin, diagnostics.PacingWait, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
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
            Throttled(outcome, request, holdTenant: true);
            return outcome;
        }
    }

    /// <summary>Reports a 429, and with <paramref name="holdTenant"/> holds the tenant's next slot back by its <c>Retry-After</c>.</summary>
    private void Throttled(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, bool holdTenant)
    {
        if (outcome.Result is not { } response || (int)response.StatusCode != 429)
        {
            return;
        }

        var wait = RetryAfter.Read(response, timeProvider.GetUtcNow()) is { } asked ? (asked < _maxDelay ? asked : _maxDelay) : (TimeSpan?)null;
        if (holdTenant && wait is { } deferred)
        {
            limiter.Defer(deferred);
        }

        diagnostics.Throttled(request?.RequestUri?.Host ?? string.Empty, wait);
    }
}
