using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>Where an address of a transition block carries the IPv4 address it stands for.</summary>
internal enum EmbeddedIPv4 : byte
{
    /// <summary>Nothing embedded.</summary>
    None,

    /// <summary>6to4 (RFC 3056 §2): the IPv4 address is bits 16-47, <c>2002:V4ADDR::/48</c>.</summary>
    SixToFour,

    /// <summary>Teredo (RFC 4380 §4): the server is bits 32-63, the client the last 32 bits, each bit inverted.</summary>
    Teredo,

    /// <summary>The NAT64 well-known prefix <c>64:ff9b::/96</c> (RFC 6052 §2.2): the IPv4 address is the last 32 bits.</summary>
    Nat64,

    /// <summary>The deprecated IPv4-compatible addresses <c>::/96</c> (RFC 4291 §2.5.5.1): the last 32 bits.</summary>
    Compatible,
}

/// <summary>One block of a registry: what it is, whether the registry calls it globally reachable, how it is treated.</summary>
/// <param name="Range">The block.</param>
/// <param name="Name">The registry's name for it.</param>
/// <param name="Reference">The RFC (and section) the registry cites.</param>
/// <param name="GloballyReachable">
/// The registry's "Globally Reachable" column. Where it says N/A (6to4, Teredo), the block is reachable as far as
/// the addresses it embeds are; a terminated block (empty cells) is not reachable.
/// </param>
/// <param name="Category">How the SDK classifies its addresses.</param>
/// <param name="Embeds">Where its addresses carry an IPv4 address.</param>
internal sealed record AddressBlock(Cidr Range, string Name, string Reference, bool GloballyReachable, AddressCategory Category, EmbeddedIPv4 Embeds)
{
    /// <summary>Gets how the block reads in a refusal: <c>198.18.0.0/15, Benchmarking, RFC 2544</c>.</summary>
    public string Entry => $"{Range}, {Name}, {Reference}";

    /// <summary>Gets the prefix below which a grant would cover addresses embedding another IPv4 address.</summary>
    public int PinnedPrefixLength => Embeds switch
    {
        EmbeddedIPv4.SixToFour => 48,
        EmbeddedIPv4.Teredo or EmbeddedIPv4.Nat64 or EmbeddedIPv4.Compatible => 128,
        _ => 0,
    };
}

/// <summary>
/// The one table of address safety: the IANA special-purpose address registries, with the "Globally Reachable"
/// column as the registries give it, and the blocks of the IANA address-space registries that are not global
/// unicast. An address is looked up in its most specific block; an IPv4 address in none is public.
/// </summary>
/// <remarks>
/// <para>
/// Transcribed from the IANA IPv4 Special-Purpose Address Registry and the IANA IPv6 Special-Purpose Address Registry,
/// both last updated 2025-10-09 (25 entries each), the IPv6 Address Space registry (last updated 2025-10-23) for the
/// space outside <c>2000::/3</c>, and the IPv4 Address Space registry (multicast, RFC 5771). When IANA updates a
/// registry, update this table, the date above and the tests that sample every row.
/// </para>
/// <para>
/// Where the registries say more than "reachable or not": a block the registry marks globally reachable inside one
/// that is not (192.0.0.9/32 and 192.0.0.10/32 in 192.0.0.0/24; 2001:1::1/128, 2001:1::2/128, 2001:1::3/128,
/// 2001:3::/32, 2001:4:112::/48, 2001:20::/28 and 2001:30::/28 in 2001::/23) is public, because the most specific
/// block wins; the terminated blocks 192.88.99.0/24 (6to4 relay anycast) and 2001:10::/28 (ORCHID), whose columns are
/// empty, are not; 6to4 and Teredo (N/A) and the NAT64 well-known prefix are as reachable as the IPv4 addresses they
/// embed; IPv4-mapped addresses are classified as the IPv4 address they stand for before any lookup.
/// </para>
/// </remarks>
internal static class SpecialPurposeAddresses
{
    private const bool Global = true;
    private const bool NotGlobal = false;

    /// <summary>IPv4 blocks, most specific first.</summary>
    private static readonly AddressBlock[] IPv4 = Sorted(
    [
        // IANA IPv4 Special-Purpose Address Registry, last updated 2025-10-09.
        Block("0.0.0.0/8", "\"This network\"", "RFC 791 §3.2", NotGlobal, AddressCategory.ThisNetwork),
        Block("0.0.0.0/32", "\"This host on this network\"", "RFC 1122 §3.2.1.3", NotGlobal, AddressCategory.Unspecified),
        Block("10.0.0.0/8", "Private-Use", "RFC 1918", NotGlobal, AddressCategory.Private),
        Block("100.64.0.0/10", "Shared Address Space", "RFC 6598", NotGlobal, AddressCategory.SharedAddressSpace),
        Block("127.0.0.0/8", "Loopback", "RFC 1122 §3.2.1.3", NotGlobal, AddressCategory.Loopback),
        Block("169.254.0.0/16", "Link Local", "RFC 3927", NotGlobal, AddressCategory.LinkLocal),
        Block("172.16.0.0/12", "Private-Use", "RFC 1918", NotGlobal, AddressCategory.Private),
        Block("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890 §2.1", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", Global, AddressCategory.Public),
        Block("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", Global, AddressCategory.Public),
        Block("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 §2.2", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 §2.2", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", NotGlobal, AddressCategory.Documentation),
        Block("192.31.196.0/24", "AS112-v4", "RFC 7535", Global, AddressCategory.Public),
        Block("192.52.193.0/24", "AMT", "RFC 7450", Global, AddressCategory.Public),
        Block("192.88.99.0/24", "Deprecated (6to4 Relay Anycast), terminated 2015-03", "RFC 7526", NotGlobal, AddressCategory.Reserved),
        Block("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751", NotGlobal, AddressCategory.SpecialPurpose),
        Block("192.168.0.0/16", "Private-Use", "RFC 1918", NotGlobal, AddressCategory.Private),
        Block("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", Global, AddressCategory.Public),
        Block("198.18.0.0/15", "Benchmarking", "RFC 2544", NotGlobal, AddressCategory.SpecialPurpose),
        Block("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", NotGlobal, AddressCategory.Documentation),
        Block("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", NotGlobal, AddressCategory.Documentation),
        Block("240.0.0.0/4", "Reserved", "RFC 1112 §4", NotGlobal, AddressCategory.Reserved),
        Block("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919 §7", NotGlobal, AddressCategory.Broadcast),

        // IPv4 Address Space registry: multicast is never a source.
        Block("224.0.0.0/4", "Multicast", "RFC 5771", NotGlobal, AddressCategory.Multicast),
    ]);

    /// <summary>IPv6 blocks, most specific first; together they cover the whole space.</summary>
    private static readonly AddressBlock[] IPv6 = Sorted(
    [
        // IANA IPv6 Special-Purpose Address Registry, last updated 2025-10-09.
        Block("::1/128", "Loopback Address", "RFC 4291", NotGlobal, AddressCategory.Loopback),
        Block("::/128", "Unspecified Address", "RFC 4291", NotGlobal, AddressCategory.Unspecified),
        Block("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", NotGlobal, AddressCategory.Reserved), // read as IPv4 before lookup
        Block("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", Global, AddressCategory.Public, EmbeddedIPv4.Nat64),
        Block("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)", "RFC 8215", NotGlobal, AddressCategory.SpecialPurpose),
        Block("100::/64", "Discard-Only Address Block", "RFC 6666", NotGlobal, AddressCategory.Reserved),
        Block("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", NotGlobal, AddressCategory.SpecialPurpose),
        Block("2001::/23", "IETF Protocol Assignments", "RFC 2928", NotGlobal, AddressCategory.SpecialPurpose),
        Block("2001::/32", "TEREDO", "RFC 4380, RFC 8190", Global, AddressCategory.Public, EmbeddedIPv4.Teredo),
        Block("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", Global, AddressCategory.Public),
        Block("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", Global, AddressCategory.Public),
        Block("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", Global, AddressCategory.Public),
        Block("2001:2::/48", "Benchmarking", "RFC 5180", NotGlobal, AddressCategory.SpecialPurpose),
        Block("2001:3::/32", "AMT", "RFC 7450", Global, AddressCategory.Public),
        Block("2001:4:112::/48", "AS112-v6", "RFC 7535", Global, AddressCategory.Public),
        Block("2001:10::/28", "Deprecated (previously ORCHID), terminated 2014-03", "RFC 4843", NotGlobal, AddressCategory.Reserved),
        Block("2001:20::/28", "ORCHIDv2", "RFC 7343", Global, AddressCategory.Public),
        Block("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", Global, AddressCategory.Public),
        Block("2001:db8::/32", "Documentation", "RFC 3849", NotGlobal, AddressCategory.Documentation),
        Block("2002::/16", "6to4", "RFC 3056", Global, AddressCategory.Public, EmbeddedIPv4.SixToFour),
        Block("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", Global, AddressCategory.Public),
        Block("3fff::/20", "Documentation", "RFC 9637", NotGlobal, AddressCategory.Documentation),
        Block("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", NotGlobal, AddressCategory.SpecialPurpose),
        Block("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190", NotGlobal, AddressCategory.UniqueLocal),
        Block("fe80::/10", "Link-Local Unicast", "RFC 4291", NotGlobal, AddressCategory.LinkLocal),

        // Not in the special-purpose registry, whose blocks sit inside ::/8: deprecated, never a source.
        Block("::/96", "IPv4-compatible Address (deprecated)", "RFC 4291 §2.5.5.1", NotGlobal, AddressCategory.Reserved, EmbeddedIPv4.Compatible),

        // IANA IPv6 Address Space registry, last updated 2025-10-23: only 2000::/3 is global unicast.
        Block("::/8", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("100::/8", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("200::/7", "Reserved by IETF", "RFC 4048", NotGlobal, AddressCategory.Reserved),
        Block("400::/6", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("800::/5", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("1000::/4", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("2000::/3", "Global Unicast", "RFC 4291", Global, AddressCategory.Public),
        Block("4000::/3", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("6000::/3", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("8000::/3", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("a000::/3", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("c000::/3", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("e000::/4", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("f000::/5", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("f800::/6", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("fe00::/9", "Reserved by IETF", "RFC 4291", NotGlobal, AddressCategory.Reserved),
        Block("fec0::/10", "Reserved by IETF (deprecated site-local)", "RFC 3879", NotGlobal, AddressCategory.Reserved),
        Block("ff00::/8", "Multicast", "RFC 4291", NotGlobal, AddressCategory.Multicast),
    ]);

    /// <summary>Gets every block of the table, IPv4 then IPv6, most specific first within each.</summary>
    public static IReadOnlyList<AddressBlock> All { get; } = [.. IPv4, .. IPv6];

    /// <summary>The most specific block holding <paramref name="host"/>, or null for an IPv4 address in none (public).</summary>
    public static AddressBlock? Find(Cidr host)
    {
        foreach (var block in host.IsIPv6 ? IPv6 : IPv4)
        {
            if (block.Range.Contains(host))
            {
                return block;
            }
        }

        return null;
    }

    private static AddressBlock Block(string range, string name, string reference, bool globallyReachable, AddressCategory category, EmbeddedIPv4 embeds = EmbeddedIPv4.None) =>
        new(Cidr.Parse(range), name, reference, globallyReachable, category, embeds);

    private static AddressBlock[] Sorted(AddressBlock[] blocks)
    {
        // Most specific first, so the first block holding an address is the one the registry's nesting means.
        Array.Sort(blocks, static (a, b) => b.Range.PrefixLength.CompareTo(a.Range.PrefixLength));
        return blocks;
    }
}
