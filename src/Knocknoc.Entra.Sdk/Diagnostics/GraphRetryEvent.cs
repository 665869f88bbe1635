using System.Net;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>A Graph call that is tried again (<see cref="EntraEventObserver.OnGraphRetrying"/>).</summary>
public sealed class GraphRetryEvent
{
    /// <summary>Gets which retry of the call this is: 1 for the first (the call's second attempt).</summary>
    public required int RetryNumber { get; init; }

    /// <summary>Gets the HTTP status of the failed attempt, or null when it had no answer (a timeout, a lost connection).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the name of the exception type that failed the attempt (such as <c>HttpRequestException</c>), or null when it had an answer.</summary>
    public string? ExceptionType { get; init; }

    /// <summary>Gets how long the client waits before the next attempt.</summary>
    public required TimeSpan Delay { get; init; }
}
