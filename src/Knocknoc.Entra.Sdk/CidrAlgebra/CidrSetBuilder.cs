using System.Collections.Immutable;
using System.Net;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// Collects networks, ranges and addresses, in any order and with duplicates or overlaps, into a <see cref="CidrSet"/>;
/// removes some again (netipx's <c>IPSetBuilder</c>). Operations take effect in the order they are called:
/// an address removed and then added is in the set, one added and then removed is not.
/// Not thread-safe; the sets it makes are.
/// </summary>
public sealed partial class CidrSetBuilder
{
    private readonly List<AddressRange<uint>> _ipv4;
    private readonly List<AddressRange<UInt128>> _ipv6 = [];

    // Removals wait here until the next addition or ToSet, so that a run of additions stays one append each.
    private readonly List<AddressRange<uint>> _ipv4Removed = [];
    private readonly List<AddressRange<UInt128>> _ipv6Removed = [];
    private bool _hasRemovals;

    /// <summary>Creates an empty builder.</summary>
    public CidrSetBuilder()
        : this(0)
    {
    }

    /// <summary>Creates an empty builder with room for <paramref name="capacity"/> IPv4 networks before it grows.</summary>
    /// <param name="capacity">The expected number of networks.</param>
    public CidrSetBuilder(int capacity) => _ipv4 = new(capacity);

    /// <summary>Adds every address of <paramref name="cidr"/>.</summary>
    /// <param name="cidr">The network.</param>
    /// <returns>This builder.</returns>
    public CidrSetBuilder Add(Cidr cidr)
    {
        ApplyRemovals();
        if (cidr.IsIPv6)
        {
            _ipv6.Add(cidr.IPv6Range);
        }
        else
        {
            _ipv4.Add(cidr.IPv4Range);
        }

        return this;
    }

    /// <summary>Adds one address.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address is added as IPv4.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public CidrSetBuilder Add(IPAddress address) => Add(Cidr.Host(address));

    /// <summary>Adds every address of every set member.</summary>
    /// <param name="set">The set.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    public CidrSetBuilder Add(CidrSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        ApplyRemovals();
        _ipv4.AddRange(set.IPv4Ranges);
        _ipv6.AddRange(set.IPv6Ranges);
        return this;
    }

    /// <summary>Adds every address of every network.</summary>
    /// <param name="cidrs">The networks.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cidrs"/> is null.</exception>
    public CidrSetBuilder AddRange(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        switch (cidrs)
        {
            case Cidr[] array:
                return AddRange(array.AsSpan());
            case List<Cidr> list:
                return AddRange(CollectionsMarshal.AsSpan(list));
            case ImmutableArray<Cidr> immutable:
                return AddRange(immutable.AsSpan());
        }

        foreach (var cidr in cidrs)
        {
            Add(cidr);
        }

        return this;
    }

    /// <summary>Adds every address of every network.</summary>
    /// <param name="cidrs">The networks.</param>
    /// <returns>This builder.</returns>
    public CidrSetBuilder AddRange(ReadOnlySpan<Cidr> cidrs)
    {
        ApplyRemovals();

        // IPv4 ranges go straight into the list's storage: they are most of every list, and a List.Add each
        // cost more than sorting them.
        var start = _ipv4.Count;
        CollectionsMarshal.SetCount(_ipv4, start + cidrs.Length);
        var ipv4 = CollectionsMarshal.AsSpan(_ipv4);
        var written = start;
        foreach (ref readonly var cidr in cidrs)
        {
            if (cidr.IsIPv6)
            {
                _ipv6.Add(cidr.IPv6Range);
            }
            else
            {
                ipv4[written++] = cidr.IPv4Range;
            }
        }

        CollectionsMarshal.SetCount(_ipv4, written);
        return this;
    }

    /// <summary>Removes everything added so far.</summary>
    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
        _ipv4Removed.Clear();
        _ipv6Removed.Clear();
        // Stryker disable once Boolean : both removal lists are empty now, so a later ApplyRemovals only finds them empty
        _hasRemovals = false;
    }

    /// <summary>The set of every address added so far. The builder keeps its content and may go on.</summary>
    /// <returns>The set.</returns>
    public CidrSet ToSet()
    {
        ApplyRemovals();
        var ipv4 = RangeAlgebra<uint>.Normalize(_ipv4);
        var ipv6 = RangeAlgebra<UInt128>.Normalize(_ipv6);
        return ipv4.Length == 0 && ipv6.Length == 0 ? CidrSet.Empty : new CidrSet(ipv4, ipv6);
    }
}
