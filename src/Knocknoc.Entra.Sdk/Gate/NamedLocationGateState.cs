using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>A consistent snapshot of a gate: its grants, what it wants in Entra, and what it knows Entra holds.</summary>
public sealed record NamedLocationGateState
{
    /// <summary>Gets the gate's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets a value indicating whether the gate has started.</summary>
    public bool IsStarted { get; init; }

    /// <summary>Gets the location's id, once resolved.</summary>
    public string? LocationId { get; init; }

    /// <summary>Gets the location's display name as last read.</summary>
    public string? LocationDisplayName { get; init; }

    /// <summary>Gets the active grants, ordered by id.</summary>
    public ImmutableArray<Grant> Grants { get; init; } = [];

    /// <summary>Gets the granted addresses as their minimal exact cover.</summary>
    public ImmutableArray<Cidr> GrantedRanges { get; init; } = [];

    /// <summary>Gets the list the gate wants in the location: grants, others' kept ranges, or the sentinel.</summary>
    public ImmutableArray<Cidr> DesiredRanges { get; init; } = [];

    /// <summary>
    /// Gets how many ranges the gate writes to the location (<see cref="DesiredRanges"/>): its share of the tenant's
    /// IP ranges, which Continuous Access Evaluation enforces in real time only up to 5,000 in all
    /// (<see cref="Enforcement.ResidualWindow.ContinuousAccessEvaluationRangeLimit"/>). Alarm on it.
    /// </summary>
    public int RangeCount => DesiredRanges.Length;

    /// <summary>Gets the ranges the gate knows Entra holds (from its last write or a trusted read), or null when it does not know.</summary>
    public CidrSet? EntraRanges { get; init; }

    /// <summary>Gets the ranges not yet written: to add and to remove (null when what Entra holds is unknown).</summary>
    public CidrSetDiff? Pending { get; init; }

    /// <summary>Gets the ranges others wrote that shared ownership (or a damaged store) keeps.</summary>
    public ImmutableArray<Cidr> KeptRanges { get; init; } = [];

    /// <summary>Gets how many calls wait for a write.</summary>
    public int WaitingCalls { get; init; }

    /// <summary>Gets how many writes (PATCH requests) the gate has sent successfully.</summary>
    public long WriteCount { get; init; }

    /// <summary>Gets when the gate's last successful write was sent.</summary>
    public DateTimeOffset? LastWriteAt { get; init; }

    /// <summary>Gets the last failure, cleared by the next successful write; while the store cannot be saved, its ENTRA063.</summary>
    public EntraException? LastError { get; init; }

    /// <summary>
    /// Gets the last failure to save the grant store (ENTRA063), or null once a save succeeded. While it is set, grants
    /// fail and are undone, and revocations reach Entra but fail their calls with it: they are not durable yet.
    /// </summary>
    public EntraException? StoreError { get; init; }

    /// <summary>Gets what the store reported damaged at start (ENTRA062); empty when it was whole.</summary>
    public IReadOnlyList<string> StoreProblems { get; init; } = [];
}
