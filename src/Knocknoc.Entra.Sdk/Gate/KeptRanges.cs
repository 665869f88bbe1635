using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

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

    /// <summary>
    /// The preserved ranges without <paramref name="ended"/>: a grant that ends takes its address out of what a damaged
    /// store made the gate keep, so a revoked address leaves even before the host reconciles. An entry inside it is
    /// dropped; a wider one keeps the rest of its addresses, as exact CIDRs.
    /// </summary>
    public KeptRanges WithoutPreserved(Cidr ended)
    {
        if (!Preserved.Any(range => range.Overlaps(ended)))
        {
            return this;
        }

        var rest = new List<Cidr>(Preserved.Length);
        foreach (var range in Preserved)
        {
            if (!range.Overlaps(ended))
            {
                rest.Add(range);
            }
            else if (!ended.Contains(range))
            {
                rest.AddRange(CidrSet.Create(range).Except(CidrSet.Create(ended)).ToCidrs());
            }
        }

        return WithPreserved(rest);
    }
}
