namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Typed events of the Graph client and the gate, for a host's progress display or its own bookkeeping: what the
/// logs say in text, as values that do not change when a log message does. Derive from it, override the events you
/// want (each does nothing by default, so a later SDK can add events without breaking you), and set it as
/// <see cref="Graph.NamedLocationClientOptions.Events"/> or <see cref="NamedLocationGateOptions.Events"/>.
/// </summary>
/// <remarks>
/// Plain virtual calls: no reflection, no event names as strings, so it is safe under trimming and native AOT. The SDK
/// calls an observer on its own threads, often while a request or the write loop waits for it: return quickly and
/// hand longer work elsewhere. An exception thrown by an observer is caught and logged (event
/// <see cref="GraphEventId.ObserverFailed"/>); the SDK goes on as if the observer had returned.
/// </remarks>
public abstract class EntraEventObserver
{
    /// <summary>A Graph call failed transiently and is tried again after <see cref="GraphRetryEvent.Delay"/>.</summary>
    /// <param name="retry">The retry.</param>
    public virtual void OnGraphRetrying(GraphRetryEvent retry)
    {
    }

    /// <summary>Graph answered 429: the tenant is throttled, and no request to it leaves before the wait is over.</summary>
    /// <param name="throttle">The throttling answer.</param>
    public virtual void OnGraphThrottled(GraphThrottleEvent throttle)
    {
    }

    /// <summary>A request waits for the tenant's pacing (one request per interval, or Graph's <c>Retry-After</c>) before it leaves.</summary>
    /// <param name="wait">The wait.</param>
    public virtual void OnPacingWait(PacingWaitEvent wait)
    {
    }

    /// <summary>A gate wrote its named location, or tried to and failed (it keeps its changes and tries again).</summary>
    /// <param name="write">The write.</param>
    public virtual void OnLocationWritten(LocationWriteEvent write)
    {
    }

    /// <summary>A gate let a grant expire; its network leaves Entra with the gate's next write.</summary>
    /// <param name="expiry">The expiry.</param>
    public virtual void OnGrantExpired(GrantExpiryEvent expiry)
    {
    }
}
