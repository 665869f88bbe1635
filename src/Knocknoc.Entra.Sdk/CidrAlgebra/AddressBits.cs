using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>Moves addresses between <see cref="IPAddress"/> and the bit form the algebra computes with, without allocating.</summary>
internal static class AddressBits
{
    /// <summary>Reads an address as bits (IPv4 in the low 32 bits).</summary>
    /// <param name="address">The address.</param>
    /// <param name="mapIPv4">Read <c>::ffff:a.b.c.d</c> as the IPv4 address it stands for: how a dual-stack socket reports IPv4 peers.</param>
    /// <param name="isIPv6">Whether the result is IPv6.</param>
    public static UInt128 Read(IPAddress address, bool mapIPv4, out bool isIPv6)
    {
        Span<byte> bytes = stackalloc byte[16];
        switch (address.AddressFamily)
        {
            case AddressFamily.InterNetwork:
                address.TryWriteBytes(bytes, out _);
                isIPv6 = false;
                return BinaryPrimitives.ReadUInt32BigEndian(bytes);
            case AddressFamily.InterNetworkV6:
                address.TryWriteBytes(bytes, out _);
                var bits = BinaryPrimitives.ReadUInt128BigEndian(bytes);
                // Stryker disable once Bitwise : bits is unsigned, so the signed and unsigned shifts agree
                if (mapIPv4 && bits >> 32 == 0xFFFF)
                {
                    isIPv6 = false;
                    return (uint)bits;
                }

                isIPv6 = true;
                return bits;
            default:
                // Stryker disable once String : unreachable: an IPAddress is always IPv4 or IPv6
                throw new ArgumentException($"Only IPv4 and IPv6 addresses are supported, not {address.AddressFamily}.", nameof(address));
        }
    }

    public static IPAddress ToAddress(bool isIPv6, UInt128 bits)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!isIPv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)bits);
            return new IPAddress(bytes[..4]);
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return new IPAddress(bytes);
    }
}
