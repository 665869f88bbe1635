using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// An immutable set of IPv4 and IPv6 addresses, held as sorted, disjoint, non-adjacent ranges per family,
/// so that two sets holding the same addresses are equal however they were written.
/// </summary>
/// <remarks>
/// Build one with <see cref="CreateBuilder"/> or <see cref="Create(IEnumerable{Cidr})"/>. IPv4 and IPv6 never
/// merge with each other. Every operation returns a new set; a set is safe to read from many threads.
/// </remarks>
public sealed partial class CidrSet : IEquatable<CidrSet>
{
    private readonly AddressRange<uint>[] _ipv4;
    private readonly AddressRange<UInt128>[] _ipv6;

    // Computed on first use; a benign race at worst computes it twice.
    private int _cidrCount = -1;

    internal CidrSet(AddressRange<uint>[] ipv4, AddressRange<UInt128>[] ipv6)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
    }

    /// <summary>Gets the set holding no address.</summary>
    public static CidrSet Empty { get; } = new([], []);

    /// <summary>Gets the set holding every IPv4 and every IPv6 address (<c>0.0.0.0/0</c> and <c>::/0</c>).</summary>
    public static CidrSet All { get; } = new(
        [new AddressRange<uint>(0, uint.MaxValue)],
        [new AddressRange<UInt128>(0, UInt128.MaxValue)]);

    /// <summary>Gets a value indicating whether the set holds no address.</summary>
    public bool IsEmpty => _ipv4.Length == 0 && _ipv6.Length == 0;

    /// <summary>Gets the number of maximal contiguous address ranges in the set, both families together.</summary>
    public int RangeCount => _ipv4.Length + _ipv6.Length;

    /// <summary>Gets the number of CIDRs in the minimal exact cover (<see cref="ToCidrs"/>): what the set costs in a named location.</summary>
    public int CidrCount
    {
        get
        {
            var count = _cidrCount;
            if (count < 0)
            {
                count = RangeAlgebra<uint>.CountCidrs(_ipv4) + RangeAlgebra<UInt128>.CountCidrs(_ipv6);
                _cidrCount = count;
            }

            return count;
        }
    }

    internal ReadOnlySpan<AddressRange<uint>> IPv4Ranges => _ipv4;

    internal ReadOnlySpan<AddressRange<UInt128>> IPv6Ranges => _ipv6;

    /// <summary>Creates a builder that collects networks and addresses in any order, with duplicates and overlaps.</summary>
    /// <returns>An empty builder.</returns>
    public static CidrSetBuilder CreateBuilder() => new();

    /// <summary>Creates the set of every address in <paramref name="cidrs"/>.</summary>
    /// <param name="cidrs">Networks of both families, in any order, with duplicates and overlaps.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cidrs"/> is null.</exception>
    public static CidrSet Create(IEnumerable<Cidr> cidrs)
    {
        // Stryker disable once Statement : the builder refuses null with the same exception and parameter name
        ArgumentNullException.ThrowIfNull(cidrs);
        return cidrs switch
        {
            Cidr[] array => Create(array.AsSpan()),
            List<Cidr> list => Create(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)),
            _ => new CidrSetBuilder().AddRange(cidrs).ToSet(),
        };
    }

    /// <summary>Creates the set of every address in <paramref name="cidrs"/>.</summary>
    /// <param name="cidrs">Networks of both families, in any order, with duplicates and overlaps.</param>
    /// <returns>The set.</returns>
    public static CidrSet Create(params ReadOnlySpan<Cidr> cidrs)
    {
        // Sorted and merged in pooled buffers: a million-entry list then allocates only the set itself, which
        // spares the garbage collector the large arrays a builder's lists would leave behind.
        var ipv6Count = 0;
        foreach (ref readonly var cidr in cidrs)
        {
            ipv6Count += cidr.IsIPv6 ? 1 : 0;
        }

        // Stryker disable once Arithmetic : a larger buffer than needed changes nothing but its size
        var ipv4 = ArrayPool<AddressRange<uint>>.Shared.Rent(cidrs.Length - ipv6Count);
        var ipv6 = ArrayPool<AddressRange<UInt128>>.Shared.Rent(ipv6Count);
        try
        {
            int ipv4Count = 0, ipv6Written = 0;
            foreach (ref readonly var cidr in cidrs)
            {
                if (cidr.IsIPv6)
                {
                    ipv6[ipv6Written++] = cidr.IPv6Range;
                }
                else
                {
                    ipv4[ipv4Count++] = cidr.IPv4Range;
                }
            }

            var ipv4Ranges = ipv4.AsSpan(0, RangeAlgebra<uint>.Normalize(ipv4.AsSpan(0, ipv4Count)));
            var ipv6Ranges = ipv6.AsSpan(0, RangeAlgebra<UInt128>.Normalize(ipv6.AsSpan(0, ipv6Count)));
            return ipv4Ranges.IsEmpty && ipv6Ranges.IsEmpty ? Empty : new CidrSet(ipv4Ranges.ToArray(), ipv6Ranges.ToArray());
        }
        finally
        {
            // Stryker disable once Statement : only hands the buffer back to the pool; results do not depend on it
            ArrayPool<AddressRange<uint>>.Shared.Return(ipv4);
            // Stryker disable once Statement : only hands the buffer back to the pool; results do not depend on it
            ArrayPool<AddressRange<UInt128>>.Shared.Return(ipv6);
        }
    }

    /// <summary>Tells whether <paramref name="address"/> is in the set.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address is looked up as IPv4.</param>
    /// <returns><see langword="true"/> when the set holds the address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool Contains(IPAddress address) => Contains(Cidr.Host(address));

    /// <summary>Tells whether every address of <paramref name="cidr"/> is in the set.</summary>
    /// <param name="cidr">The network.</param>
    /// <returns><see langword="true"/> when the set holds the whole network.</returns>
    public bool Contains(Cidr cidr) => cidr.IsIPv6
        ? RangeAlgebra<UInt128>.Contains(_ipv6, cidr.IPv6Range.First, cidr.IPv6Range.Last)
        : RangeAlgebra<uint>.Contains(_ipv4, cidr.IPv4Range.First, cidr.IPv4Range.Last);

    /// <summary>Tells whether any address of <paramref name="cidr"/> is in the set.</summary>
    /// <param name="cidr">The network.</param>
    /// <returns><see langword="true"/> when the set holds at least one address of the network.</returns>
    public bool Overlaps(Cidr cidr) => cidr.IsIPv6
        ? RangeAlgebra<UInt128>.Overlaps(_ipv6, cidr.IPv6Range.First, cidr.IPv6Range.Last)
        : RangeAlgebra<uint>.Overlaps(_ipv4, cidr.IPv4Range.First, cidr.IPv4Range.Last);

    /// <summary>Tells whether every address of this set is in <paramref name="other"/>.</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when this set is a subset of (or equal to) <paramref name="other"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSubsetOf(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return RangeAlgebra<uint>.IsSubset(_ipv4, other._ipv4) && RangeAlgebra<UInt128>.IsSubset(_ipv6, other._ipv6);
    }

    /// <summary>Tells whether every address of <paramref name="other"/> is in this set.</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when this set is a superset of (or equal to) <paramref name="other"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSupersetOf(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsSubsetOf(this);
    }

    /// <summary>Tells whether both sets hold exactly the same addresses, however their CIDRs were written.</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when the sets are equal.</returns>
    public bool SetEquals(CidrSet? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (RangeAlgebra<uint>.SetEquals(_ipv4, other._ipv4) && RangeAlgebra<UInt128>.SetEquals(_ipv6, other._ipv6)));

    /// <summary>The addresses in either set.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>The union.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public CidrSet Union(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(RangeAlgebra<uint>.Union(_ipv4, other._ipv4), RangeAlgebra<UInt128>.Union(_ipv6, other._ipv6));
    }

    /// <summary>The addresses in both sets.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>The intersection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public CidrSet Intersect(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(RangeAlgebra<uint>.Intersect(_ipv4, other._ipv4), RangeAlgebra<UInt128>.Intersect(_ipv6, other._ipv6));
    }

    /// <summary>The addresses of this set that are not in <paramref name="other"/>.</summary>
    /// <param name="other">The addresses to remove.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public CidrSet Except(CidrSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(RangeAlgebra<uint>.Except(_ipv4, other._ipv4), RangeAlgebra<UInt128>.Except(_ipv6, other._ipv6));
    }

    /// <summary>What must be added to and removed from <paramref name="from"/> to make it <paramref name="to"/>.</summary>
    /// <param name="from">The set as it is, such as what a named location holds now.</param>
    /// <param name="to">The set as it should be.</param>
    /// <returns>The exact difference; <see cref="CidrSetDiff.IsEmpty"/> when the sets are equal.</returns>
    /// <exception cref="ArgumentNullException">A set is null.</exception>
    public static CidrSetDiff Diff(CidrSet from, CidrSet to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return new CidrSetDiff(to.Except(from), from.Except(to));
    }

    /// <summary>
    /// The fewest CIDRs that cover exactly the set, never wider: IPv4 first, each family in address order.
    /// This is what a named location should hold for the set.
    /// </summary>
    /// <returns>The minimal exact cover.</returns>
    public ImmutableArray<Cidr> ToCidrs()
    {
        // CidrCount is exact, so the array is filled and handed over without a copy.
        var cidrs = new Cidr[CidrCount];
        var written = RangeAlgebra<uint>.WriteCidrs(_ipv4, isIPv6: false, cidrs);
        RangeAlgebra<UInt128>.WriteCidrs(_ipv6, isIPv6: true, cidrs.AsSpan(written));
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(cidrs);
    }

    /// <inheritdoc/>
    public bool Equals(CidrSet? other) => SetEquals(other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CidrSet other && SetEquals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_ipv4.AsSpan()));
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_ipv6.AsSpan()));
        return hash.ToHashCode();
    }

    /// <summary>Tells whether two sets hold the same addresses.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns><see langword="true"/> when equal (or both null).</returns>
    public static bool operator ==(CidrSet? left, CidrSet? right) => left is null ? right is null : left.SetEquals(right);

    /// <summary>Tells whether two sets differ.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(CidrSet? left, CidrSet? right) => !(left == right);

    /// <summary>The cover as text, such as <c>{203.0.113.0/24, 2001:db8::/48}</c>; long sets are cut after 16 CIDRs.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        const int Shown = 16;

        // Only the leading ranges are decomposed: each gives at least one CIDR, so 16 of them are enough.
        var ipv4 = _ipv4.AsSpan(0, Math.Min(Shown, _ipv4.Length));
        // Stryker disable once Arithmetic : a longer IPv6 slice only decomposes more CIDRs than the 16 shown
        var ipv6 = _ipv6.AsSpan(0, Math.Min(Shown - ipv4.Length, _ipv6.Length));
        var leading = new Cidr[RangeAlgebra<uint>.CountCidrs(ipv4) + RangeAlgebra<UInt128>.CountCidrs(ipv6)];
        var written = RangeAlgebra<uint>.WriteCidrs(ipv4, isIPv6: false, leading);
        RangeAlgebra<UInt128>.WriteCidrs(ipv6, isIPv6: true, leading.AsSpan(written));

        var text = new StringBuilder("{");
        for (var i = 0; i < leading.Length && i < Shown; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(leading[i].ToString());
        }

        if (CidrCount > Shown)
        {
            text.Append(CultureInfo.InvariantCulture, $", ... {CidrCount - Shown} more");
        }

        return text.Append('}').ToString();
    }
}
