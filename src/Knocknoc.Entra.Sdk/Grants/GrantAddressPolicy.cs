using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Errors;

namespace Knocknoc.Entra.Sdk.Grants;

/// <summary>
/// Which addresses may be granted, and the network a grant covers: a public IPv4 address as its /32, a public
/// IPv6 address as its /128 or widened to <see cref="IPv6GrantPrefixLength"/>. Private, shared and unique local
/// addresses are granted only inside <see cref="AllowedPrivateRanges"/>; loopback, link-local, multicast,
/// broadcast, reserved and unspecified addresses never are. Immutable and safe to share.
/// </summary>
/// <remarks>
/// Nothing a caller passes produces a grant wider than a /64: an IPv4 grant is always one host, and an IPv6 grant
/// is a /64 to /128 that never leaves the space its address was classified in (every IPv6 range that is not
/// <see cref="AddressCategory.Public"/> is aligned on a /64 or wider).
/// </remarks>
public sealed class GrantAddressPolicy
{
    private const int MinIPv6GrantPrefixLength = 64;

    /// <summary>Longest bare address text: <c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255</c> is 45 characters.</summary>
    private const int MaxAddressTextLength = 45;

    /// <summary>How much of a caller's text a message quotes: the text may be hostile or huge.</summary>
    private const int MaxQuotedLength = 64;

    /// <summary>Where an allowed range may lie: the private, shared and unique local spaces, and nowhere else.</summary>
    private static readonly Cidr[] AllowableSpaces =
    [
        new(isIPv6: false, 0x0A00_0000, 8),
        new(isIPv6: false, 0xAC10_0000, 12),
        new(isIPv6: false, 0xC0A8_0000, 16),
        new(isIPv6: false, 0x6440_0000, 10),
        new(isIPv6: true, new UInt128(0xFC00_0000_0000_0000, 0), 7),
    ];

    /// <summary>Creates a policy.</summary>
    /// <param name="allowedPrivateRanges">
    /// Private (RFC 1918), shared (RFC 6598) or unique local (RFC 4193) ranges whose addresses may be granted after
    /// all, such as an office network a test gate sees directly. Each must lie wholly inside one of those spaces
    /// and be narrower than a /8. Null or empty allows none.
    /// </param>
    /// <param name="ipv6GrantPrefixLength">
    /// How much of a public IPv6 address a grant covers, 64 to 128: 128 grants the address alone, 64 its whole
    /// /64 so the grant survives the rotation of privacy addresses (RFC 8981).
    /// </param>
    /// <exception cref="ArgumentException">An allowed range is outside the private spaces or is a /8 or wider.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ipv6GrantPrefixLength"/> is not 64 to 128.</exception>
    public GrantAddressPolicy(IEnumerable<Cidr>? allowedPrivateRanges = null, int ipv6GrantPrefixLength = 128)
    {
        if (ipv6GrantPrefixLength is < MinIPv6GrantPrefixLength or > 128)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ipv6GrantPrefixLength),
                ipv6GrantPrefixLength,
                "An IPv6 grant covers a /64 to a /128: a shorter prefix would grant other people's networks.");
        }

        var ranges = allowedPrivateRanges?.ToArray() ?? [];
        foreach (var range in ranges)
        {
            if (WhyNotAllowable(range) is { } problem)
            {
                throw new ArgumentException(problem, nameof(allowedPrivateRanges));
            }
        }

        Array.Sort(ranges);
        AllowedPrivateRanges = [.. ranges.Distinct()];
        IPv6GrantPrefixLength = ipv6GrantPrefixLength;
    }

    /// <summary>Gets the policy that grants public addresses only, IPv6 ones as /128.</summary>
    public static GrantAddressPolicy Default { get; } = new();

    /// <summary>Gets the private, shared or unique local ranges whose addresses may be granted, sorted, without duplicates.</summary>
    public ImmutableArray<Cidr> AllowedPrivateRanges { get; }

    /// <summary>Gets the prefix length of an IPv6 grant, 64 to 128.</summary>
    public int IPv6GrantPrefixLength { get; }

    /// <summary>Tells what kind of address <paramref name="address"/> is.</summary>
    /// <param name="address">The address; an IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) is classified as IPv4.</param>
    /// <returns>The category; only <see cref="AddressCategory.Public"/> is granted without being allowed by name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Classify(Cidr.Host(address));
    }

    /// <summary>Classifies the base address of <paramref name="host"/>, on its bits and without allocating.</summary>
    /// <param name="host">The host; IPv4-mapped IPv6 is classified as IPv4.</param>
    internal static AddressCategory Classify(Cidr host) =>
        host.IsIPv6 ? ClassifyIPv6(host.Bits) : ClassifyIPv4((uint)host.Bits);

    /// <summary>Tells whether <paramref name="address"/> may be granted and, if so, the network granted.</summary>
    /// <param name="address">The address a user signed in from; an IPv4-mapped IPv6 address is read as IPv4.</param>
    /// <param name="network">
    /// The network to grant: the IPv4 /32, or the IPv6 address with its bits after <see cref="IPv6GrantPrefixLength"/>
    /// cleared (kept within the allowed range a private IPv6 address was allowed by); <c>default</c> when refused.
    /// </param>
    /// <param name="category">What kind of address it is, granted or not.</param>
    /// <returns><see langword="true"/> when the address may be granted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public bool TryGetGrantNetwork(IPAddress address, out Cidr network, out AddressCategory category)
    {
        ArgumentNullException.ThrowIfNull(address);
        return TryGetGrantNetwork(Cidr.Host(address), out network, out category);
    }

    /// <summary>The network to grant for <paramref name="address"/>, or an exception saying why it may not be granted.</summary>
    /// <param name="address">The address a user signed in from; an IPv4-mapped IPv6 address is read as IPv4.</param>
    /// <returns>The network to grant (see <see cref="TryGetGrantNetwork(IPAddress, out Cidr, out AddressCategory)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="EntraException">ENTRA059 (<see cref="EntraErrorCode.GrantRefused"/>): the address may not be granted.</exception>
    public Cidr GetGrantNetwork(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var host = Cidr.Host(address);
        return TryGetGrantNetwork(host, out var network, out var category) ? network : throw Refusal(host, category);
    }

    /// <summary>Reads a bare address strictly and returns the network to grant for it, or an exception saying why not.</summary>
    /// <param name="address">
    /// One IPv4 address in dotted decimal without leading zeros (<c>203.0.113.7</c>) or one IPv6 address
    /// (<c>2001:db8::7</c>, <c>::ffff:203.0.113.7</c>). No prefix length, zone, port, brackets or whitespace, and none
    /// of the short, octal or hexadecimal IPv4 forms (<c>1</c>, <c>0x7f.1</c>, <c>010.0.0.1</c>) that
    /// <see cref="IPAddress.Parse(string)"/> accepts.
    /// </param>
    /// <returns>The network to grant (see <see cref="TryGetGrantNetwork(IPAddress, out Cidr, out AddressCategory)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="EntraException">
    /// ENTRA059 (<see cref="EntraErrorCode.GrantRefused"/>): the text is not a bare address, or the address may not be granted.
    /// </exception>
    public Cidr GetGrantNetwork(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!TryParseHost(address, out var host))
        {
            throw new EntraException(
                EntraErrorCode.GrantRefused,
                $"'{Quote(address)}' is not an IP address: give one bare IPv4 address such as 203.0.113.7 or IPv6 address "
                + "such as 2001:db8::7, without a prefix length, zone, port, brackets or spaces");
        }

        return TryGetGrantNetwork(host, out var network, out var category) ? network : throw Refusal(host, category);
    }

    /// <summary>The decision on a host already read: normalises, classifies and widens.</summary>
    internal bool TryGetGrantNetwork(Cidr host, out Cidr network, out AddressCategory category)
    {
        host = MapIPv4(host);
        category = Classify(host);
        var prefixLength = host.IsIPv6 ? IPv6GrantPrefixLength : 32;
        if (category != AddressCategory.Public)
        {
            var widestAllowed = IsAllowable(category) ? WidestAllowedPrefixLength(host) : -1;
            if (widestAllowed < 0)
            {
                network = default;
                return false;
            }

            // A /64 grant inside an allowed /120 would grant more than was allowed: stay inside the range.
            prefixLength = Math.Max(prefixLength, widestAllowed);
        }

        network = new Cidr(host.IsIPv6, host.Bits & Cidr.NetworkMask(host.IsIPv6, prefixLength), (byte)prefixLength);
        return true;
    }

    /// <summary>Reads bare address text strictly as a host network, IPv4-mapped IPv6 left as written.</summary>
    internal static bool TryParseHost(ReadOnlySpan<char> text, out Cidr host)
    {
        host = default;
        if (text.IsEmpty || text.Length > MaxAddressTextLength || text.ContainsAny('/', '%'))
        {
            return false;
        }

        // The strict CIDR reader already refuses whitespace, leading zeros and every short or odd form.
        var suffix = text.Contains(':') ? "/128" : "/32";
        Span<char> buffer = stackalloc char[MaxAddressTextLength + 4];
        text.CopyTo(buffer);
        suffix.CopyTo(buffer[text.Length..]);
        return Cidr.TryParse(buffer[..(text.Length + suffix.Length)], out host);
    }

    private static AddressCategory ClassifyIPv4(uint address) => (address >> 24) switch
    {
        0 => address == 0 ? AddressCategory.Unspecified : AddressCategory.ThisNetwork,
        10 => AddressCategory.Private,
        100 when (address & 0xFFC0_0000) == 0x6440_0000 => AddressCategory.SharedAddressSpace,
        127 => AddressCategory.Loopback,
        169 when (address >> 16) == 0xA9FE => AddressCategory.LinkLocal,
        172 when (address & 0xFFF0_0000) == 0xAC10_0000 => AddressCategory.Private,
        192 when (address >> 16) == 0xC0A8 => AddressCategory.Private,
        >= 224 and < 240 => AddressCategory.Multicast,
        >= 240 => address == uint.MaxValue ? AddressCategory.Broadcast : AddressCategory.Reserved,
        _ => AddressCategory.Public,
    };

    private static AddressCategory ClassifyIPv6(UInt128 address)
    {
        var upper = (ulong)(address >> 64);
        if (upper >> 56 == 0)
        {
            // ::/8 holds the unspecified and loopback addresses, IPv4-mapped addresses and otherwise only reserved space.
            return address == 0 ? AddressCategory.Unspecified
                : address == 1 ? AddressCategory.Loopback
                : address >> 32 == 0xFFFF ? ClassifyIPv4((uint)address)
                : AddressCategory.Reserved;
        }

        return upper switch
        {
            0x0100_0000_0000_0000 => AddressCategory.Reserved, // 100::/64, discard-only
            _ when upper >> 57 == 0x7E => AddressCategory.UniqueLocal, // fc00::/7
            _ when upper >> 54 == 0x3FA => AddressCategory.LinkLocal, // fe80::/10
            _ when upper >> 54 == 0x3FB => AddressCategory.Reserved, // fec0::/10, deprecated site-local
            _ when upper >> 56 == 0xFF => AddressCategory.Multicast, // ff00::/8
            _ => AddressCategory.Public,
        };
    }

    private static Cidr MapIPv4(Cidr host) =>
        host.IsIPv6 && host.Bits >> 32 == 0xFFFF ? new Cidr(isIPv6: false, (uint)host.Bits, 32) : host;

    private static bool IsAllowable(AddressCategory category) =>
        category is AddressCategory.Private or AddressCategory.SharedAddressSpace or AddressCategory.UniqueLocal;

    /// <summary>The prefix length of the widest allowed range holding <paramref name="host"/>, or -1 when none does.</summary>
    private int WidestAllowedPrefixLength(Cidr host)
    {
        var widest = -1;
        foreach (var range in AllowedPrivateRanges)
        {
            if (range.Contains(host) && (widest < 0 || range.PrefixLength < widest))
            {
                widest = range.PrefixLength;
            }
        }

        return widest;
    }

    private static string? WhyNotAllowable(Cidr range)
    {
        const string Spaces = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), 100.64.0.0/10 (RFC 6598) or fc00::/7 (RFC 4193)";
        if (range.PrefixLength <= 8)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{range} is too wide to allow: an allowed private range must be narrower than a /8.");
        }

        if (range.IsIPv6 && range.PrefixLength >= 96 && range.Bits >> 32 == 0xFFFF)
        {
            var v4 = new Cidr(isIPv6: false, (uint)range.Bits, (byte)(range.PrefixLength - 96));
            return $"{range} is an IPv4-mapped IPv6 range, and grants are made as IPv4: allow {v4} instead.";
        }

        foreach (var space in AllowableSpaces)
        {
            if (space.Contains(range))
            {
                return null;
            }
        }

        var category = Classify(range);
        var what = IsAllowable(category) || category == AddressCategory.Public
            ? "it is not wholly inside private address space"
            : $"it starts at {Describe(category, range.IsIPv6)}";
        return $"{range} cannot be allowed: {what}. An allowed range must lie wholly inside {Spaces}.";
    }

    private EntraException Refusal(Cidr host, AddressCategory category)
    {
        var text = host.ToString();
        var address = text[..text.IndexOf('/', StringComparison.Ordinal)];
        var what = Describe(category, host.IsIPv6);
        var detail = IsAllowable(category)
            ? $"{address} is {what}{(AllowedPrivateRanges.IsEmpty ? string.Empty : " outside the allowed ranges")}; "
                + "only public addresses are granted unless the range is allowed in the options"
            : $"{address} is {what}; only public addresses are granted, and this kind of address never is";
        return new EntraException(EntraErrorCode.GrantRefused, detail);
    }

    private static string Describe(AddressCategory category, bool isIPv6) => category switch
    {
        AddressCategory.Unspecified => isIPv6 ? "the unspecified address (RFC 4291)" : "the unspecified address (RFC 1122)",
        AddressCategory.ThisNetwork => "a 'this network' address (RFC 1122)",
        AddressCategory.Loopback => isIPv6 ? "the loopback address (RFC 4291)" : "a loopback address (RFC 1122)",
        AddressCategory.LinkLocal => isIPv6 ? "a link-local address (RFC 4291)" : "a link-local address (RFC 3927)",
        AddressCategory.Multicast => isIPv6 ? "a multicast address (RFC 4291)" : "a multicast address (RFC 5771)",
        AddressCategory.Broadcast => "the broadcast address (RFC 919)",
        AddressCategory.Reserved => "a reserved address (RFC 6890)",
        AddressCategory.Private => "a private address (RFC 1918)",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT shared address (RFC 6598)",
        AddressCategory.UniqueLocal => "a unique local address (RFC 4193)",
        _ => "a public address",
    };

    /// <summary>At most <see cref="MaxQuotedLength"/> characters of caller text, printable ASCII only (no control or bidi characters in logs).</summary>
    private static string Quote(string text)
    {
        var shown = text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength];
        return string.Create(shown.Length + (shown.Length < text.Length ? 3 : 0), shown, static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }

            destination[source.Length..].Fill('.');
        });
    }
}
