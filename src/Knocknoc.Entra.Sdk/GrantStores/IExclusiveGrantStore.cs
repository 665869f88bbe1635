namespace Knocknoc.Entra.Sdk;

/// <summary>A store that locks itself to one gate: taken by the gate's start, released when it stops.</summary>
internal interface IExclusiveGrantStore
{
    /// <summary>Takes the store for this gate, or throws ENTRA064 when another live gate holds it.</summary>
    void Acquire();

    /// <summary>Releases the store for the next gate (the same instance may be loaded again).</summary>
    void Release();
}
