namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// What the meter reads of a gate: its name for the <c>knocknoc.entra.gate.name</c> attribute and its counts. The meter knows gates
/// only through this, so diagnostics sit below the gate instead of reaching up into it.
/// </summary>
internal interface IMeteredGate
{
    /// <summary>Gets the gate's name.</summary>
    string Name { get; }

    /// <summary>Reads the gauges: active grants, distinct granted networks, ranges Entra is known to hold.</summary>
    /// <returns>The three counts.</returns>
    (int Grants, int Networks, int LastRanges) Gauges();
}
