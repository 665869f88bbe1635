using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// An IPv4 or IPv6 network in CIDR notation, always canonical: no bits are set after the prefix length.
/// </summary>
/// <remarks>
/// Ordered IPv4 before IPv6, then by address, then by prefix length. <c>default(Cidr)</c> is
/// <c>0.0.0.0/0</c>. Parsing never throws from <c>TryParse</c>; <c>Parse</c> throws only
/// <see cref="FormatException"/>. Text is formatted canonically (RFC 5952 for IPv6).
/// </remarks>
public readonly partial struct Cidr :
    IEquatable<Cidr>,
    IComparable<Cidr>,
    IComparable,
    ISpanParsable<Cidr>,
    IUtf8SpanParsable<Cidr>,
    ISpanFormattable,
    IUtf8SpanFormattable
{
    // Two ulongs rather than one UInt128 keep the struct at 24 bytes (UInt128 is 16-byte aligned).
    private readonly ulong _upper;
    private readonly ulong _lower;
    private readonly byte _prefixLength;
    private readonly bool _isIPv6;

    internal Cidr(bool isIPv6, UInt128 bits, byte prefixLength)
    {
        _isIPv6 = isIPv6;
        // Stryker disable once Bitwise : bits is unsigned, so the signed and unsigned shifts agree
        _upper = (ulong)(bits >> 64);
        _lower = (ulong)bits;
        _prefixLength = prefixLength;
    }

    /// <summary>An IPv4 network from bits the caller has already checked, without 128-bit arithmetic.</summary>
    internal Cidr(uint address, byte prefixLength)
    {
        _lower = address;
        _prefixLength = prefixLength;
    }

    /// <summary>Creates the network <paramref name="baseAddress"/>/<paramref name="prefixLength"/>.</summary>
    /// <param name="baseAddress">The first address of the network; an IPv4-mapped IPv6 address stays IPv6.</param>
    /// <param name="prefixLength">0-32 for IPv4, 0-128 for IPv6.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The prefix length is out of range for the family.</exception>
    /// <exception cref="ArgumentException">Bits are set after the prefix length, or the family is neither IPv4 nor IPv6.</exception>
    public Cidr(IPAddress baseAddress, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var bits = AddressBits.Read(baseAddress, mapIPv4: false, out var isIPv6);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, isIPv6 ? 128 : 32);
        if ((bits & NetworkMask(isIPv6, prefixLength)) != bits)
        {
            throw new ArgumentException($"Bits are set after /{prefixLength} in {baseAddress}.", nameof(baseAddress));
        }

        this = new Cidr(isIPv6, bits, (byte)prefixLength);
    }

    /// <summary>The network of a single host: /32 for IPv4, /128 for IPv6.</summary>
    /// <param name="address">The host; an IPv4-mapped IPv6 address (<c>::ffff:1.2.3.4</c>) becomes IPv4.</param>
    /// <returns>The host network.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The family is neither IPv4 nor IPv6.</exception>
    public static Cidr Host(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bits = AddressBits.Read(address, mapIPv4: true, out var isIPv6);
        return new Cidr(isIPv6, bits, isIPv6 ? (byte)128 : (byte)32);
    }

    /// <summary>Gets the first address of the network.</summary>
    public IPAddress BaseAddress => AddressBits.ToAddress(_isIPv6, Bits);

    /// <summary>Gets the prefix length: 0-32 for IPv4, 0-128 for IPv6.</summary>
    public int PrefixLength => _prefixLength;

    /// <summary>Gets a value indicating whether this is an IPv4 network.</summary>
    public bool IsIPv4 => !_isIPv6;

    /// <summary>Gets a value indicating whether this is an IPv6 network.</summary>
    public bool IsIPv6 => _isIPv6;

    /// <summary>Gets the address family: <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily AddressFamily => _isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <summary>Gets a value indicating whether the network is one host (/32 or /128).</summary>
    public bool IsHost => _prefixLength == (_isIPv6 ? 128 : 32);

    /// <summary>The address bits; IPv4 in the low 32 bits.</summary>
    internal UInt128 Bits => new(_upper, _lower);

    /// <summary>The last address of the network, as bits.</summary>
    internal UInt128 LastBits => Bits | ~NetworkMask(_isIPv6, _prefixLength) & FamilyMask(_isIPv6);

    /// <summary>The network as an IPv4 range, in 32-bit arithmetic; only for an IPv4 network.</summary>
    internal AddressRange<uint> IPv4Range
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        // A 64-bit shift, because a 32-bit shift by 32 (a /0) would shift by nothing.
        get => new((uint)_lower, (uint)_lower | (uint)(0xFFFF_FFFFUL >> _prefixLength));
    }

    /// <summary>The network as an IPv6 range, computed in two 64-bit halves; only for an IPv6 network.</summary>
    internal AddressRange<UInt128> IPv6Range
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            // Host bits in each half; a 64-bit shift by 64 would shift by nothing, hence the explicit ends.
            var prefixLength = _prefixLength;
            var upperHost = prefixLength >= 64 ? 0UL : ulong.MaxValue >> prefixLength;
            // Stryker disable once Arithmetic : a 64-bit shift counts modulo 64, and prefixLength + 64 and - 64 agree modulo 64
            var lowerHost = prefixLength <= 64 ? ulong.MaxValue : prefixLength == 128 ? 0UL : ulong.MaxValue >> (prefixLength - 64);
            return new(new UInt128(_upper, _lower), new UInt128(_upper | upperHost, _lower | lowerHost));
        }
    }

    /// <summary>Tells whether <paramref name="address"/> is inside this network.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address is compared as IPv4.</param>
    /// <returns><see langword="true"/> when the address is in the network.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bits = AddressBits.Read(address, mapIPv4: true, out var isIPv6);
        return isIPv6 == _isIPv6 && (bits & NetworkMask(_isIPv6, _prefixLength)) == Bits;
    }

    /// <summary>Tells whether <paramref name="other"/> lies wholly inside this network.</summary>
    /// <param name="other">The network to test.</param>
    /// <returns><see langword="true"/> when every address of <paramref name="other"/> is in this network.</returns>
    public bool Contains(Cidr other) =>
        other._isIPv6 == _isIPv6
        && other._prefixLength >= _prefixLength
        && (other.Bits & NetworkMask(_isIPv6, _prefixLength)) == Bits;

    /// <summary>Tells whether this network and <paramref name="other"/> share any address.</summary>
    /// <param name="other">The network to test.</param>
    /// <returns><see langword="true"/> when they share an address: two CIDR networks overlap only when one contains the other.</returns>
    public bool Overlaps(Cidr other) => Contains(other) || other.Contains(this);

    /// <summary>The mask of the network part of a prefix, within the family's width.</summary>
    internal static UInt128 NetworkMask(bool isIPv6, int prefixLength)
    {
        if (prefixLength == 0)
        {
            return UInt128.Zero;
        }

        var width = isIPv6 ? 128 : 32;
        return (UInt128.MaxValue << (width - prefixLength)) & FamilyMask(isIPv6);
    }

    private static UInt128 FamilyMask(bool isIPv6) => isIPv6 ? UInt128.MaxValue : uint.MaxValue;

    /// <inheritdoc/>
    public bool Equals(Cidr other) =>
        _lower == other._lower && _upper == other._upper && _prefixLength == other._prefixLength && _isIPv6 == other._isIPv6;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Cidr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_upper, _lower, _prefixLength, _isIPv6);

    /// <summary>Compares IPv4 before IPv6, then the address, then the prefix length.</summary>
    /// <param name="other">The network to compare with.</param>
    /// <returns>Negative, zero or positive as this sorts before, with or after <paramref name="other"/>.</returns>
    public int CompareTo(Cidr other)
    {
        var order = _isIPv6.CompareTo(other._isIPv6);
        if (order == 0)
        {
            order = _upper.CompareTo(other._upper);
        }

        if (order == 0)
        {
            order = _lower.CompareTo(other._lower);
        }

        return order != 0 ? order : _prefixLength.CompareTo(other._prefixLength);
    }

    /// <inheritdoc/>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        Cidr other => CompareTo(other),
        _ => throw new ArgumentException("The object is not a Cidr.", nameof(obj)),
    };

    /// <summary>Tells whether two networks are equal.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(Cidr left, Cidr right) => left.Equals(right);

    /// <summary>Tells whether two networks differ.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(Cidr left, Cidr right) => !left.Equals(right);

    /// <summary>Tells whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(Cidr left, Cidr right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(Cidr left, Cidr right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether <paramref name="left"/> sorts before or with <paramref name="right"/>.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(Cidr left, Cidr right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether <paramref name="left"/> sorts after or with <paramref name="right"/>.</summary>
    /// <param name="left">The first network.</param>
    /// <param name="right">The second network.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(Cidr left, Cidr right) => left.CompareTo(right) >= 0;
}
