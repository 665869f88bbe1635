using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Which addresses may be granted, and the network a grant covers: a public IPv4 address as its /32, a public
/// IPv6 address as its /128 or widened to <see cref="IPv6GrantPrefixLength"/>. Public means globally reachable by
/// the IANA special-purpose address registries (<see cref="AddressCategory"/>). Private, shared, unique local and
/// documentation addresses are granted only inside <see cref="AllowedRanges"/>; every other address that is not
/// globally reachable (loopback, link-local, multicast, broadcast, reserved, benchmarking and other special-purpose
/// blocks, unspecified, and transition addresses around any of those) never is. Immutable and safe to share.
/// </summary>
/// <remarks>
/// Nothing a caller passes produces a grant wider than a /64: an IPv4 grant is always one host, and an IPv6 grant
/// is a /64 to /128 that never leaves the block its address was classified in, nor covers another address embedded
/// in a transition address (a Teredo or NAT64 address is granted as its /128, a 6to4 one as at most its /48).
/// </remarks>
public sealed class GrantAddressPolicy
{
    private const int MinIPv6GrantPrefixLength = 64;

    /// <summary>Longest bare address text: <c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255</c> is 45 characters.</summary>
    private const int MaxAddressTextLength = 45;

    /// <summary>Where an allowed range may lie: the private, shared, unique local and documentation blocks of the table, and nowhere else.</summary>
    private static readonly Cidr[] AllowableSpaces =
        [.. SpecialPurposeAddresses.All.Where(block => IsAllowable(block.Category)).Select(block => block.Range)];

    /// <summary>Creates a policy.</summary>
    /// <param name="allowedRanges">
    /// Private (RFC 1918), shared (RFC 6598), unique local (RFC 4193) or documentation (RFC 5737, RFC 3849,
    /// RFC 9637) ranges whose addresses may be granted after all: an office network a test gate sees directly, or
    /// <see cref="DocumentationRanges"/> for examples, demos and tests against the emulator. Each must lie wholly
    /// inside one of those blocks and be narrower than a /8. Null or empty allows none.
    /// </param>
    /// <param name="ipv6GrantPrefixLength">
    /// How much of a public IPv6 address a grant covers, 64 to 128: 128 grants the address alone, 64 its whole
    /// /64 so the grant survives the rotation of privacy addresses (RFC 8981).
    /// </param>
    /// <exception cref="ArgumentException">An allowed range is outside those blocks or is a /8 or wider.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ipv6GrantPrefixLength"/> is not 64 to 128.</exception>
    public GrantAddressPolicy(IEnumerable<Cidr>? allowedRanges = null, int ipv6GrantPrefixLength = 128)
    {
        if (ipv6GrantPrefixLength is < MinIPv6GrantPrefixLength or > 128)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ipv6GrantPrefixLength),
                ipv6GrantPrefixLength,
                "An IPv6 grant covers a /64 to a /128: a shorter prefix would grant other people's networks.");
        }

        var ranges = allowedRanges?.ToArray() ?? [];
        foreach (var range in ranges)
        {
            if (WhyNotAllowable(range) is { } problem)
            {
                throw new ArgumentException(problem, nameof(allowedRanges));
            }
        }

        Array.Sort(ranges);
        AllowedRanges = [.. ranges.Distinct()];
        IPv6GrantPrefixLength = ipv6GrantPrefixLength;
    }

    /// <summary>Gets the policy that grants public addresses only, IPv6 ones as /128.</summary>
    public static GrantAddressPolicy Default { get; } = new();

    /// <summary>
    /// Gets the documentation ranges, <c>192.0.2.0/24</c>, <c>198.51.100.0/24</c>, <c>203.0.113.0/24</c>,
    /// <c>2001:db8::/32</c> and <c>3fff::/20</c>: pass them as allowed ranges for a gate that examples, demos or
    /// tests against the emulator feed with documentation addresses. Never routed, so never a real sign-in.
    /// </summary>
    public static ImmutableArray<Cidr> DocumentationRanges { get; } =
        [.. SpecialPurposeAddresses.All.Where(block => block.Category == AddressCategory.Documentation).Select(block => block.Range).Order()];

    /// <summary>Gets the private, shared, unique local or documentation ranges whose addresses may be granted, sorted, without duplicates.</summary>
    public ImmutableArray<Cidr> AllowedRanges { get; }

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
    internal static AddressCategory Classify(Cidr host) => AddressVerdict.Of(host).Category;

    /// <summary>Tells whether <paramref name="address"/> may be granted and, if so, the network granted.</summary>
    /// <param name="address">The address a user signed in from; an IPv4-mapped IPv6 address is read as IPv4.</param>
    /// <param name="network">
    /// The network to grant: the IPv4 /32, or the IPv6 address with its bits after <see cref="IPv6GrantPrefixLength"/>
    /// cleared (kept within the block a public address lies in, and within the allowed range a private or
    /// documentation IPv6 address was allowed by); <c>default</c> when refused.
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
        return TryGetGrantNetwork(host, out var network, out _) ? network : throw Refusal(host);
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
                $"'{ShownText.Of(address)}' is not an IP address: give one bare IPv4 address such as 203.0.113.7 or IPv6 address "
                + "such as 2001:db8::7, without a prefix length, zone, port, brackets or spaces");
        }

        return TryGetGrantNetwork(host, out var network, out _) ? network : throw Refusal(host);
    }

    /// <summary>The decision on a host already read: normalises, classifies and widens.</summary>
    internal bool TryGetGrantNetwork(Cidr host, out Cidr network, out AddressCategory category)
    {
        host = AddressVerdict.MapIPv4(host);
        var verdict = AddressVerdict.Of(host);
        category = verdict.Category;
        var prefixLength = host.IsIPv6 ? IPv6GrantPrefixLength : 32;
        if (category == AddressCategory.Public && verdict.Block is { } block)
        {
            // A /64 around 2001:1::1 (public) would take in the rest of 2001::/23 (not), and one around a Teredo or
            // NAT64 address every other client embedded beside it: stay inside the block and the embedded address.
            prefixLength = Math.Max(prefixLength, Math.Max(block.Range.PrefixLength, block.PinnedPrefixLength));
        }
        else if (category != AddressCategory.Public)
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

    private static bool IsAllowable(AddressCategory category) =>
        category is AddressCategory.Private or AddressCategory.SharedAddressSpace or AddressCategory.UniqueLocal or AddressCategory.Documentation;

    /// <summary>The prefix length of the widest allowed range holding <paramref name="host"/>, or -1 when none does.</summary>
    private int WidestAllowedPrefixLength(Cidr host)
    {
        var widest = -1;
        foreach (var range in AllowedRanges)
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
        const string Spaces = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), 100.64.0.0/10 (RFC 6598), fc00::/7 (RFC 4193) "
            + "or a documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20)";
        if (range.PrefixLength < GraphLimits.WidestPrefixLength)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{range} is too wide to allow: an allowed range must be narrower than a /{GraphLimits.WidestPrefixLength - 1}.");
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

        var verdict = AddressVerdict.Of(range);
        var what = IsAllowable(verdict.Category) || verdict.Category == AddressCategory.Public
            ? "it is not wholly inside private or documentation address space"
            : $"it starts at {Describe(verdict.Category, range.IsIPv6)} ({verdict.Block?.Entry})";
        return $"{range} cannot be allowed: {what}. An allowed range must lie wholly inside {Spaces}.";
    }

    private EntraException Refusal(Cidr host)
    {
        var verdict = AddressVerdict.Of(host);
        var address = Bare(AddressVerdict.MapIPv4(host));
        var what = verdict.Category == AddressCategory.EmbeddedNonPublic
            ? $"{Describe(verdict.Category, host.IsIPv6)} ({verdict.Block!.Entry}) whose {verdict.EmbeddedRole ?? "embedded"} address "
                + $"{Bare(new Cidr(isIPv6: false, verdict.Embedded, 32))} is {Describe(verdict.EmbeddedCategory, isIPv6: false)} ({Entry(verdict.EmbeddedVerdictBlock)})"
            : $"{Describe(verdict.Category, host.IsIPv6)} ({Entry(verdict.Block)})";
        var detail = IsAllowable(verdict.Category)
            ? $"{address} is {what}{(AllowedRanges.IsEmpty ? string.Empty : " outside the allowed ranges")}; "
                + "only public addresses are granted unless the range is allowed in the options"
            : $"{address} is {what}; only public addresses are granted, and this kind of address never is";
        return new EntraException(EntraErrorCode.GrantRefused, detail);
    }

    /// <summary>The registry entry as a refusal names it: <c>198.18.0.0/15, Benchmarking, RFC 2544: not globally reachable</c>.</summary>
    private static string Entry(AddressBlock? block) =>
        block is null ? "globally reachable" : $"{block.Entry}: not globally reachable";

    private static string Bare(Cidr host)
    {
        var text = host.ToString();
        return text[..text.IndexOf('/', StringComparison.Ordinal)];
    }

    private static string Describe(AddressCategory category, bool isIPv6) => category switch
    {
        AddressCategory.Unspecified => "the unspecified address",
        AddressCategory.ThisNetwork => "a 'this network' address",
        AddressCategory.Loopback => isIPv6 ? "the loopback address" : "a loopback address",
        AddressCategory.LinkLocal => "a link-local address",
        AddressCategory.Multicast => "a multicast address",
        AddressCategory.Broadcast => "the broadcast address",
        AddressCategory.Reserved => "a reserved address",
        AddressCategory.Private => "a private address",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT shared address",
        AddressCategory.UniqueLocal => "a unique local address",
        AddressCategory.Documentation => "a documentation address",
        AddressCategory.SpecialPurpose => "a special-purpose address",
        AddressCategory.EmbeddedNonPublic => "a transition address",
        _ => "a public address",
    };
}
