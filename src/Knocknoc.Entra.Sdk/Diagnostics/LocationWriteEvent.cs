
namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>A gate's write of its named location, confirmed or failed (<see cref="EntraEventObserver.OnLocationWritten"/>).</summary>
public sealed class LocationWriteEvent
{
    /// <summary>Gets the gate's name.</summary>
    public required string Gate { get; init; }

    /// <summary>Gets the named location's id.</summary>
    public required string LocationId { get; init; }

    /// <summary>Gets how many ranges the write sent.</summary>
    public required int Ranges { get; init; }

    /// <summary>Gets how many ranges the write added to what Entra was known to hold.</summary>
    public required int Added { get; init; }

    /// <summary>Gets how many ranges the write removed from what Entra was known to hold.</summary>
    public required int Removed { get; init; }

    /// <summary>Gets how long the write took, pacing and retries included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the failure's ENTRA code, or null when Entra confirmed the write.</summary>
    public EntraErrorCode? Error { get; init; }

    /// <summary>Gets how long the gate waits before it tries a failed write again; zero after a confirmed one.</summary>
    public TimeSpan RetryDelay { get; init; }
}
