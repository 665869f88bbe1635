using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Gate;

/// <summary>
/// Ranges in the location that are not the gate's grants but stay: others' ranges under shared ownership, and what a
/// damaged store could not account for. Kept exactly as they were written (never merged into a cover), so another
/// writer finds its own entries where it left them.
/// </summary>
internal sealed class KeptRanges
{
    private KeptRanges(ImmutableArray<Cidr> foreign, ImmutableArray<Cidr> preserved)
    {
        Foreign = foreign;
        Preserved = preserved;
        List = [.. foreign.Concat(preserved).Distinct()];
        Coverage = CidrSet.Create(List.AsSpan());
    }

    public static KeptRanges None { get; } = new([], []);

    /// <summary>Gets others' ranges (shared ownership), as written.</summary>
    public ImmutableArray<Cidr> Foreign { get; }

    /// <summary>Gets the ranges kept until the host reconciles, because a damaged store could not account for them.</summary>
    public ImmutableArray<Cidr> Preserved { get; }

    /// <summary>Gets every kept entry once, in order: what is written ahead of the gate's own ranges.</summary>
    public ImmutableArray<Cidr> List { get; }

    /// <summary>Gets the addresses the kept entries cover.</summary>
    public CidrSet Coverage { get; }

    public bool IsEmpty => List.IsEmpty;

    public KeptRanges WithForeign(IEnumerable<Cidr> foreign) => new([.. foreign.Distinct()], Preserved);

    public KeptRanges WithPreserved(IEnumerable<Cidr> preserved) => new(Foreign, [.. preserved.Distinct()]);
}
