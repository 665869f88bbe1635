namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The <see cref="Microsoft.Extensions.Logging.EventId"/>s of the Graph client's log entries (1000-1099): calls,
/// retries, sign-in. Route or filter on these numbers; they never change meaning.
/// </summary>
public static class GraphEventId
{
    /// <summary>1000, Debug: a Graph call answered (method, path, status, time, <c>client-request-id</c>, <c>request-id</c>).</summary>
    public const int CallCompleted = 1000;

    /// <summary>1001, Warning: a Graph call is retried (attempt, status or exception, delay).</summary>
    public const int CallRetried = 1001;

    /// <summary>1002, Debug: an access token was acquired.</summary>
    public const int TokenAcquired = 1002;

    /// <summary>1003, Trace to Error: MSAL's own log.</summary>
    public const int MsalLog = 1003;

    /// <summary>1004, Warning: an <see cref="EntraEventObserver"/> threw; the SDK went on without it.</summary>
    public const int ObserverFailed = 1004;
}
