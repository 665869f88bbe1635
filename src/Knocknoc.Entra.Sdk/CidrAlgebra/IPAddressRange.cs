using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// An inclusive range of addresses of one family, from <see cref="First"/> to <see cref="Last"/>, such as
/// <c>10.0.0.5-10.0.0.20</c>: what a person means by "these addresses" before it is cut into CIDRs
/// (Go's netipx calls it <c>IPRange</c>).
/// </summary>
/// <remarks>
/// <c>default(IPAddressRange)</c> is the single address <c>0.0.0.0</c>. <see cref="CidrSet.ToRanges"/> gives a set
/// as its maximal ranges; <see cref="ToCidrs"/> gives a range as the fewest CIDRs.
/// </remarks>
public readonly struct IPAddressRange : IEquatable<IPAddressRange>
{
    // Four ulongs rather than two UInt128s keep the struct at 40 bytes (UInt128 is 16-byte aligned).
    private readonly ulong _firstUpper;
    private readonly ulong _firstLower;
    private readonly ulong _lastUpper;
    private readonly ulong _lastLower;
    private readonly bool _isIPv6;

    internal IPAddressRange(bool isIPv6, UInt128 first, UInt128 last)
    {
        _isIPv6 = isIPv6;
        // Stryker disable once Bitwise : the bits are unsigned, so the signed and unsigned shifts agree
        _firstUpper = (ulong)(first >> 64);
        _firstLower = (ulong)first;
        // Stryker disable once Bitwise : the bits are unsigned, so the signed and unsigned shifts agree
        _lastUpper = (ulong)(last >> 64);
        _lastLower = (ulong)last;
    }

    /// <summary>Creates the range of every address from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    /// <param name="first">The first address.</param>
    /// <param name="last">The last address: the same family, not before <paramref name="first"/>. An IPv4-mapped IPv6 address stays IPv6.</param>
    /// <exception cref="ArgumentNullException">An address is null.</exception>
    /// <exception cref="ArgumentException">The families differ or are neither IPv4 nor IPv6, or <paramref name="last"/> comes before <paramref name="first"/>.</exception>
    public IPAddressRange(IPAddress first, IPAddress last)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        var firstBits = AddressBits.Read(first, mapIPv4: false, out var isIPv6);
        var lastBits = AddressBits.Read(last, mapIPv4: false, out var lastIsIPv6);
        if (isIPv6 != lastIsIPv6)
        {
            throw new ArgumentException($"A range is of one family: {first} and {last} are not.", nameof(last));
        }

        if (lastBits < firstBits)
        {
            throw new ArgumentException($"The range's last address {last} comes before its first {first}.", nameof(last));
        }

        this = new IPAddressRange(isIPv6, firstBits, lastBits);
    }

    /// <summary>Gets the first address of the range.</summary>
    public IPAddress First => AddressBits.ToAddress(_isIPv6, FirstBits);

    /// <summary>Gets the last address of the range.</summary>
    public IPAddress Last => AddressBits.ToAddress(_isIPv6, LastBits);

    /// <summary>Gets a value indicating whether this is a range of IPv4 addresses.</summary>
    public bool IsIPv4 => !_isIPv6;

    /// <summary>Gets a value indicating whether this is a range of IPv6 addresses.</summary>
    public bool IsIPv6 => _isIPv6;

    /// <summary>Gets the address family: <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily AddressFamily => _isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    internal UInt128 FirstBits => new(_firstUpper, _firstLower);

    internal UInt128 LastBits => new(_lastUpper, _lastLower);

    /// <summary>Tells whether <paramref name="address"/> is in the range.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address is compared as IPv4.</param>
    /// <returns><see langword="true"/> when the range holds the address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bits = AddressBits.Read(address, mapIPv4: true, out var isIPv6);
        return isIPv6 == _isIPv6 && bits >= FirstBits && bits <= LastBits;
    }

    /// <summary>Tells whether this range and <paramref name="other"/> share any address.</summary>
    /// <param name="other">The other range.</param>
    /// <returns><see langword="true"/> when they are of one family and share an address.</returns>
    public bool Overlaps(IPAddressRange other) =>
        other._isIPv6 == _isIPv6 && other.FirstBits <= LastBits && FirstBits <= other.LastBits;

    /// <summary>The fewest CIDRs that cover exactly this range, in address order (netipx's <c>IPRange.Prefixes</c>).</summary>
    /// <returns>The minimal exact cover: one CIDR when the range is one network, at most 62 (IPv4) or 254 (IPv6).</returns>
    public ImmutableArray<Cidr> ToCidrs() => _isIPv6
        ? RangeAlgebra<UInt128>.ToCidrs(new AddressRange<UInt128>(FirstBits, LastBits), isIPv6: true)
        : RangeAlgebra<uint>.ToCidrs(new AddressRange<uint>((uint)FirstBits, (uint)LastBits), isIPv6: false);

    /// <summary>The range as text: <c>first-last</c>, such as <c>10.0.0.5-10.0.0.20</c> or <c>2001:db8::-2001:db8::ff</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{First}-{Last}";

    /// <inheritdoc/>
    public bool Equals(IPAddressRange other) =>
        _firstLower == other._firstLower && _firstUpper == other._firstUpper
        && _lastLower == other._lastLower && _lastUpper == other._lastUpper && _isIPv6 == other._isIPv6;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IPAddressRange other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_firstUpper, _firstLower, _lastUpper, _lastLower, _isIPv6);

    /// <summary>Tells whether two ranges are equal.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(IPAddressRange left, IPAddressRange right) => left.Equals(right);

    /// <summary>Tells whether two ranges differ.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(IPAddressRange left, IPAddressRange right) => !left.Equals(right);
}
