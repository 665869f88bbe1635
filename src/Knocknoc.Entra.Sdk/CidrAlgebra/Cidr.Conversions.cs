using System.Net;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Conversions to and from .NET's <see cref="IPNetwork"/> and to <see cref="IPAddressRange"/>.</content>
public readonly partial struct Cidr
{
    /// <summary>The same network as .NET's <see cref="IPNetwork"/>.</summary>
    /// <returns>The network: same base address and prefix length.</returns>
    public IPNetwork ToIPNetwork() => new(BaseAddress, _prefixLength);

    /// <summary>The same network as a <see cref="Cidr"/>.</summary>
    /// <param name="network">
    /// The network. An IPv4-mapped IPv6 base address stays IPv6, as in <see cref="Cidr(IPAddress, int)"/>;
    /// <c>default(IPNetwork)</c> is <c>0.0.0.0/0</c>, as <c>default(Cidr)</c> is.
    /// </param>
    /// <returns>The network.</returns>
    public static Cidr FromIPNetwork(IPNetwork network) => new(network.BaseAddress, network.PrefixLength);

    /// <summary>The network as a range: from its base address to its last address.</summary>
    /// <returns>The range.</returns>
    public IPAddressRange ToRange() => new(_isIPv6, Bits, LastBits);

    /// <summary>Converts to .NET's <see cref="IPNetwork"/> (see <see cref="ToIPNetwork"/>); never loses anything.</summary>
    /// <param name="cidr">The network.</param>
    public static implicit operator IPNetwork(Cidr cidr) => cidr.ToIPNetwork();

    /// <summary>Converts from .NET's <see cref="IPNetwork"/> (see <see cref="FromIPNetwork"/>); never loses anything.</summary>
    /// <param name="network">The network.</param>
    public static implicit operator Cidr(IPNetwork network) => FromIPNetwork(network);
}
