namespace Knocknoc.Entra.Sdk.Grants;

/// <summary>
/// What kind of address a sign-in came from, and so whether it may be granted: only <see cref="Public"/>
/// addresses are, apart from private ranges an operator allows by name (<see cref="GrantAddressPolicy"/>).
/// </summary>
/// <remarks>
/// <para>
/// An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>, RFC 4291 §2.5.5.2) is classified as the IPv4 address it
/// stands for: it is how a dual-stack socket reports an IPv4 peer.
/// </para>
/// <para>
/// The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 of RFC 5737 and 2001:db8::/32 of
/// RFC 3849) are deliberately <see cref="Public"/>: the SDK's own examples and tests use them, Entra accepts them in
/// a named location, and they are not routed on the internet, so granting one opens nothing. An operator who wants
/// them refused can still refuse them in the gate's own policy.
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

    /// <summary>A globally routable unicast address: the one kind granted without being allowed by name.</summary>
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
    /// (RFC 1112 §4, RFC 6890); in IPv6, <c>::/8</c> other than <c>::</c>, <c>::1</c> and IPv4-mapped addresses
    /// (reserved by RFC 4291 §2.4, including the deprecated IPv4-compatible addresses of RFC 4291 §2.5.5.1 and the
    /// NAT64 prefix <c>64:ff9b::/96</c> of RFC 6052), the discard-only prefix <c>100::/64</c> (RFC 6666), and the
    /// deprecated site-local prefix <c>fec0::/10</c> (RFC 3879).
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
}
