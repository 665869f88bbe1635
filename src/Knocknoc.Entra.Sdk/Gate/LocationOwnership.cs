namespace Knocknoc.Entra.Sdk;

/// <summary>Whose ranges a named location holds, and so what a gate may remove from it.</summary>
public enum LocationOwnership
{
    /// <summary>The location is the gate's alone: anything it did not grant is removed, as Knocknoc's own agent does.</summary>
    Exclusive = 0,

    /// <summary>Others write the location too: ranges the gate did not write are kept, and only its own are removed.</summary>
    Shared = 1,
}
