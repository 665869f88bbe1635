namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>A 429 answer from Graph (<see cref="EntraEventObserver.OnGraphThrottled"/>).</summary>
public sealed class GraphThrottleEvent
{
    /// <summary>Gets the Graph host that answered, such as <c>graph.microsoft.com</c>.</summary>
    public required string ServerAddress { get; init; }

    /// <summary>Gets the wait Graph asked for in <c>Retry-After</c> (capped at the resilience options' <c>MaxDelay</c>), or null when it named none.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
