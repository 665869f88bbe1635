using System.Net;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// What the Graph client's resilience reports, each as one call that logs, measures and tells the host's
/// <see cref="EntraEventObserver"/> together: whatever runs the retries and the pacing (a Polly pipeline, a
/// Microsoft.Extensions.Http.Resilience handler) calls these, so the logs, the metrics and the typed events stay one.
/// </summary>
/// <param name="logger">The client's logger.</param>
/// <param name="observer">The host's observer, or null.</param>
internal sealed class GraphDiagnostics(ILogger logger, EntraEventObserver? observer)
{
    /// <summary>A call is tried again: event 1001 and <see cref="EntraEventObserver.OnGraphRetrying"/>.</summary>
    /// <param name="retryNumber">Which retry this is: 1 for the first.</param>
    /// <param name="status">The failed attempt's HTTP status, or null without an answer.</param>
    /// <param name="exception">What failed the attempt without an answer, or null.</param>
    /// <param name="delay">The wait before the attempt.</param>
    public void Retrying(int retryNumber, HttpStatusCode? status, Exception? exception, TimeSpan delay)
    {
        var exceptionType = exception?.GetType().Name;
        Log.RetryingGraphCall(logger, retryNumber, status is { } code ? (int)code : 0, exceptionType, delay);
        ObservedEvents.Raise(observer, logger, static (o, e) => o.OnGraphRetrying(e), new GraphRetryEvent { RetryNumber = retryNumber, StatusCode = status, ExceptionType = exceptionType, Delay = delay });
    }

    /// <summary>Graph answered 429: the throttle counter and <see cref="EntraEventObserver.OnGraphThrottled"/>.</summary>
    /// <param name="serverAddress">The Graph host that answered.</param>
    /// <param name="retryAfter">The (capped) wait Graph asked for, or null.</param>
    public void Throttled(string serverAddress, TimeSpan? retryAfter)
    {
        GateMetrics.Throttled(serverAddress);
        ObservedEvents.Raise(observer, logger, static (o, e) => o.OnGraphThrottled(e), new GraphThrottleEvent { ServerAddress = serverAddress, RetryAfter = retryAfter });
    }

    /// <summary>A request waits for the tenant's pacing: <see cref="EntraEventObserver.OnPacingWait"/>.</summary>
    /// <param name="delay">The wait, as known when it begins.</param>
    public void PacingWait(TimeSpan delay) =>
        ObservedEvents.Raise(observer, logger, static (o, e) => o.OnPacingWait(e), new PacingWaitEvent { Delay = delay });
}
