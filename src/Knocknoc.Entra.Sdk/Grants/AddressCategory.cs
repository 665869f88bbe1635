namespace Knocknoc.Entra.Sdk;

/// <summary>
/// What kind of address a sign-in came from, and so whether it may be granted: only <see cref="Public"/>
/// addresses are, apart from private, shared, unique local and documentation ranges an operator allows by name
/// (<see cref="GrantAddressPolicy"/>).
/// </summary>
/// <remarks>
/// <para>
/// The categories follow the IANA special-purpose address registries (IPv4 and IPv6, their "Globally Reachable"
/// column) and, for IPv6 outside <c>2000::/3</c>, the IPv6 address space registry: an address is public when the
/// most specific block holding it is globally reachable and, for a transition address (6to4, Teredo, the NAT64
/// well-known prefix), when the IPv4 address it embeds is public too.
/// </para>
/// <para>
/// An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>, RFC 4291 §2.5.5.2) is classified as the IPv4 address it
/// stands for: it is how a dual-stack socket reports an IPv4 peer.
/// </para>
/// <para>
/// Zero is <see cref="Unspecified"/>, so a <c>default</c> category is never one that is granted.
/// </para>
/// </remarks>
public enum AddressCategory
{
    /// <summary>
    /// The unspecified address, <c>0.0.0.0</c> or <c>::</c> (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2): no host at all,
    /// what a misconfigured proxy or an unset field reports.
    /// </summary>
    Unspecified = 0,

    /// <summary>
    /// A globally reachable unicast address: the one kind granted without being allowed by name. Includes the
    /// globally reachable blocks nested in special-purpose space (192.0.0.9/32 and 192.0.0.10/32, 2001:1::1/128 to
    /// 2001:1::3/128, 2001:3::/32, 2001:4:112::/48, 2001:20::/28, 2001:30::/28) and transition addresses (6to4,
    /// Teredo, <c>64:ff9b::/96</c>) around public IPv4 addresses.
    /// </summary>
    Public = 1,

    /// <summary>
    /// "This host on this network", <c>0.0.0.0/8</c> other than <c>0.0.0.0</c> (RFC 1122 §3.2.1.3, RFC 6890):
    /// never a source on the internet.
    /// </summary>
    ThisNetwork = 2,

    /// <summary>
    /// Loopback, <c>127.0.0.0/8</c> (RFC 1122 §3.2.1.3) or <c>::1</c> (RFC 4291 §2.5.3): the machine itself,
    /// typically a reverse proxy that did not pass on the client's address.
    /// </summary>
    Loopback = 3,

    /// <summary>Link-local, <c>169.254.0.0/16</c> (RFC 3927) or <c>fe80::/10</c> (RFC 4291 §2.5.6): one link only.</summary>
    LinkLocal = 4,

    /// <summary>Multicast, <c>224.0.0.0/4</c> (RFC 5771) or <c>ff00::/8</c> (RFC 4291 §2.7): never a source address.</summary>
    Multicast = 5,

    /// <summary>The limited broadcast address, <c>255.255.255.255</c> (RFC 919, RFC 8190): never a source address.</summary>
    Broadcast = 6,

    /// <summary>
    /// Reserved space that is never a legitimate source: <c>240.0.0.0/4</c> other than the broadcast address
    /// (RFC 1112 §4); the terminated 6to4 relay anycast block <c>192.88.99.0/24</c> (RFC 7526); in IPv6, everything
    /// outside <c>2000::/3</c> that the IPv6 address space registry reserves (including the deprecated
    /// IPv4-compatible addresses of RFC 4291 §2.5.5.1 and the deprecated site-local prefix <c>fec0::/10</c> of
    /// RFC 3879), the discard-only prefix <c>100::/64</c> (RFC 6666) and the terminated ORCHID block
    /// <c>2001:10::/28</c> (RFC 4843).
    /// </summary>
    Reserved = 7,

    /// <summary>
    /// Private IPv4, <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c> or <c>192.168.0.0/16</c> (RFC 1918): Entra never sees
    /// a sign-in from one, so granting it is a sign the gate reads the wrong address.
    /// </summary>
    Private = 8,

    /// <summary>Shared address space for carrier-grade NAT, <c>100.64.0.0/10</c> (RFC 6598): shared by many subscribers.</summary>
    SharedAddressSpace = 9,

    /// <summary>An IPv6 unique local address, <c>fc00::/7</c> (RFC 4193): the IPv6 counterpart of a private address.</summary>
    UniqueLocal = 10,

    /// <summary>
    /// A documentation address, <c>192.0.2.0/24</c>, <c>198.51.100.0/24</c>, <c>203.0.113.0/24</c> (RFC 5737),
    /// <c>2001:db8::/32</c> (RFC 3849) or <c>3fff::/20</c> (RFC 9637): never routed, so never a real sign-in. Granted
    /// only inside ranges an operator allows by name, as examples, demos and emulator tests do
    /// (<see cref="GrantAddressPolicy.DocumentationRanges"/>).
    /// </summary>
    Documentation = 11,

    /// <summary>
    /// Another block of the IANA special-purpose registries that is not globally reachable: benchmarking
    /// (<c>198.18.0.0/15</c>, <c>2001:2::/48</c>), IETF protocol assignments (<c>192.0.0.0/24</c>, <c>2001::/23</c>)
    /// and their dummy, discovery and relay addresses, the NAT64 local-use prefix <c>64:ff9b:1::/48</c>, the dummy
    /// prefix <c>100:0:0:1::/64</c>, SRv6 SIDs (<c>5f00::/16</c>). Never granted.
    /// </summary>
    SpecialPurpose = 12,

    /// <summary>
    /// A transition address whose embedded IPv4 address is not public: 6to4 (<c>2002::/16</c>) around 10.0.0.1,
    /// a Teredo address (<c>2001::/32</c>) with a private server or client, a NAT64 address (<c>64:ff9b::/96</c>)
    /// around a private one. It reaches what the embedded address reaches. Never granted.
    /// </summary>
    EmbeddedNonPublic = 13,
}
