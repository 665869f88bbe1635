using System.Collections.Immutable;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>The set as ranges, and the questions and operations netipx's <c>IPSet</c> answers that need no second set built.</content>
public sealed partial class CidrSet
{
    /// <summary>
    /// The set as its maximal contiguous ranges: IPv4 first, each family in address order, disjoint and never
    /// adjacent (netipx's <c>IPSet.Ranges</c>). There are <see cref="RangeCount"/> of them.
    /// </summary>
    /// <returns>The ranges.</returns>
    public ImmutableArray<IPAddressRange> ToRanges()
    {
        var ranges = new IPAddressRange[RangeCount];
        var written = 0;
        foreach (var range in _ipv4)
        {
            ranges[written++] = new IPAddressRange(isIPv6: false, range.First, range.Last);
        }

        foreach (var range in _ipv6)
        {
            ranges[written++] = new IPAddressRange(isIPv6: true, range.First, range.Last);
        }

        return ImmutableArray.Create(ranges);
    }

    /// <summary>Tells whether every address of <paramref name="range"/> is in the set.</summary>
    /// <param name="range">The range.</param>
    /// <returns><see langword="true"/> when the set holds the whole range.</returns>
    public bool Contains(IPAddressRange range) => range.IsIPv6
        ? RangeAlgebra<UInt128>.Contains(_ipv6, range.FirstBits, range.LastBits)
        : RangeAlgebra<uint>.Contains(_ipv4, (uint)range.FirstBits, (uint)range.LastBits);

    /// <summary>Tells whether any address of <paramref name="range"/> is in the set.</summary>
    /// <param name="range">The range.</param>
    /// <returns><see langword="true"/> when the set holds at least one address of the range.</returns>
    public bool Overlaps(IPAddressRange range) => range.IsIPv6
        ? RangeAlgebra<UInt128>.Overlaps(_ipv6, range.FirstBits, range.LastBits)
        : RangeAlgebra<uint>.Overlaps(_ipv4, (uint)range.FirstBits, (uint)range.LastBits);

    /// <summary>Tells whether this set and <paramref name="other"/> share any address, without building their intersection.</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when the sets share at least one address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool Overlaps(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return RangeAlgebra<uint>.Overlaps(_ipv4, other._ipv4) || RangeAlgebra<UInt128>.Overlaps(_ipv6, other._ipv6);
    }

    /// <summary>Every IPv4 and IPv6 address that is not in this set: <see cref="All"/> except this set.</summary>
    /// <returns>The complement.</returns>
    public CidrSet Complement() => new(RangeAlgebra<uint>.Complement(_ipv4), RangeAlgebra<UInt128>.Complement(_ipv6));
}
