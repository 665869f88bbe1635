namespace Knocknoc.Entra.Sdk;

/// <summary>What a store read back: the snapshot it could recover, and what it found wrong on the way.</summary>
/// <param name="Snapshot">Every valid part of the stored state; <see cref="GrantStoreSnapshot.Empty"/> when nothing was stored yet.</param>
/// <param name="Problems">One line per damage found (a corrupt record, a truncated end); empty when the store was intact.</param>
public sealed record GrantStoreLoadResult(GrantStoreSnapshot Snapshot, IReadOnlyList<string> Problems)
{
    /// <summary>Gets a value indicating whether anything was found damaged; the gate then removes nothing from Entra until the host reconciles.</summary>
    public bool IsDamaged => Problems.Count > 0;
}
