using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Ranges in, removal, and the operations that rewrite what has been collected so far.</content>
public sealed partial class CidrSetBuilder
{
    /// <summary>Adds every address of <paramref name="range"/>.</summary>
    /// <param name="range">The range.</param>
    /// <returns>This builder.</returns>
    public CidrSetBuilder Add(IPAddressRange range)
    {
        ApplyRemovals();
        if (range.IsIPv6)
        {
            _ipv6.Add(new AddressRange<UInt128>(range.FirstBits, range.LastBits));
        }
        else
        {
            _ipv4.Add(new AddressRange<uint>((uint)range.FirstBits, (uint)range.LastBits));
        }

        return this;
    }

    /// <summary>Removes every address of <paramref name="cidr"/> added so far; later additions may bring them back.</summary>
    /// <param name="cidr">The network.</param>
    /// <returns>This builder.</returns>
    public CidrSetBuilder Remove(Cidr cidr)
    {
        if (cidr.IsIPv6)
        {
            _ipv6Removed.Add(cidr.IPv6Range);
        }
        else
        {
            _ipv4Removed.Add(cidr.IPv4Range);
        }

        _hasRemovals = true;
        return this;
    }

    /// <summary>Removes every address of <paramref name="range"/> added so far; later additions may bring them back.</summary>
    /// <param name="range">The range.</param>
    /// <returns>This builder.</returns>
    public CidrSetBuilder Remove(IPAddressRange range)
    {
        if (range.IsIPv6)
        {
            _ipv6Removed.Add(new AddressRange<UInt128>(range.FirstBits, range.LastBits));
        }
        else
        {
            _ipv4Removed.Add(new AddressRange<uint>((uint)range.FirstBits, (uint)range.LastBits));
        }

        _hasRemovals = true;
        return this;
    }

    /// <summary>Removes one address added so far; a later addition may bring it back.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address is removed as IPv4.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public CidrSetBuilder Remove(IPAddress address) => Remove(Cidr.Host(address));

    /// <summary>Removes every address of <paramref name="set"/> added so far; later additions may bring them back.</summary>
    /// <param name="set">The set.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    public CidrSetBuilder Remove(CidrSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        _ipv4Removed.AddRange(set.IPv4Ranges);
        _ipv6Removed.AddRange(set.IPv6Ranges);
        _hasRemovals = true;
        return this;
    }

    /// <summary>Removes every address of every network added so far; later additions may bring them back.</summary>
    /// <param name="cidrs">The networks.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cidrs"/> is null.</exception>
    public CidrSetBuilder RemoveRange(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        foreach (var cidr in cidrs)
        {
            Remove(cidr);
        }

        return this;
    }

    /// <summary>Replaces what was collected so far with every address it does not hold, of both families.</summary>
    /// <returns>This builder.</returns>
    public CidrSetBuilder Complement()
    {
        ApplyRemovals();
        Replace(_ipv4, RangeAlgebra<uint>.Complement(Normalized(_ipv4)));
        Replace(_ipv6, RangeAlgebra<UInt128>.Complement(Normalized(_ipv6)));
        return this;
    }

    /// <summary>Keeps only the addresses collected so far that are also in <paramref name="set"/>.</summary>
    /// <param name="set">The set to intersect with.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    public CidrSetBuilder Intersect(CidrSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        // Stryker disable once Statement : removing and intersecting commute, and pending removals still apply before any later addition
        ApplyRemovals();
        Replace(_ipv4, RangeAlgebra<uint>.Intersect(Normalized(_ipv4), set.IPv4Ranges));
        Replace(_ipv6, RangeAlgebra<UInt128>.Intersect(Normalized(_ipv6), set.IPv6Ranges));
        return this;
    }

    /// <summary>Takes the pending removals out of what was added before them, so that later additions are not removed.</summary>
    private void ApplyRemovals()
    {
        // Stryker disable once Block,Statement : with nothing removed, Settle returns at once for each family
        if (!_hasRemovals)
        {
            return;
        }

        Settle(_ipv4, _ipv4Removed);
        Settle(_ipv6, _ipv6Removed);
        // Stryker disable once Boolean : Settle emptied both removal lists, so a later ApplyRemovals only finds them empty
        _hasRemovals = false;
    }

    private static void Settle<T>(List<AddressRange<T>> added, List<AddressRange<T>> removed)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        // Stryker disable once Block,Statement : taking nothing away from the normalised ranges leaves them as they are
        if (removed.Count == 0)
        {
            return;
        }

        Replace(added, RangeAlgebra<T>.Except(Normalized(added), Normalized(removed)));
        removed.Clear();
    }

    /// <summary>Sorts and merges a list in place and returns its normalised ranges.</summary>
    private static ReadOnlySpan<AddressRange<T>> Normalized<T>(List<AddressRange<T>> ranges)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        var span = CollectionsMarshal.AsSpan(ranges);
        return span[..RangeAlgebra<T>.Normalize(span)];
    }

    private static void Replace<T>(List<AddressRange<T>> ranges, AddressRange<T>[] content)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        ranges.Clear();
        ranges.AddRange(content);
    }
}
