namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>A request held back by the tenant's pacing (<see cref="EntraEventObserver.OnPacingWait"/>).</summary>
public sealed class PacingWaitEvent
{
    /// <summary>Gets how long the request waits before it leaves, as known when the wait begins.</summary>
    public required TimeSpan Delay { get; init; }
}
