using System.Buffers.Binary;
using System.Diagnostics;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// Writes the canonical text of addresses and CIDRs (RFC 5952 for IPv6) into spans, allocation-free: the formatter
/// behind <see cref="Cidr"/>'s <c>ToString</c> and <c>TryFormat</c> (its reader is <see cref="CidrParser"/>).
/// </summary>
internal static class CidrFormatter
{
    /// <summary>Longest canonical CIDR: <c>ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128</c> is 43 characters.</summary>
    public const int MaxFormattedLength = 64;

    public static bool TryFormat(in Cidr cidr, Span<char> destination, out int written)
    {
        written = 0;
        Span<char> buffer = stackalloc char[MaxFormattedLength];
        var length = FormatAddress(cidr.IsIPv6, cidr.Bits, buffer);
        buffer[length++] = '/';
        cidr.PrefixLength.TryFormat(buffer[length..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        length += digits;
        if (length > destination.Length)
        {
            return false;
        }

        buffer[..length].CopyTo(destination);
        written = length;
        return true;
    }

    /// <summary>Writes the canonical text of an address (RFC 5952 for IPv6) and returns its length.</summary>
    public static int FormatAddress(bool isIPv6, UInt128 bits, Span<char> destination)
    {
        if (!isIPv6)
        {
            return FormatIPv4((uint)bits, destination);
        }

        Span<ushort> groups = stackalloc ushort[8];
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        for (var i = 0; i < 8; i++)
        {
            groups[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        }

        // RFC 5952 section 5: IPv4-mapped addresses keep the dotted tail.
        // Stryker disable once Bitwise : bits is unsigned, so the signed and unsigned shifts agree
        if (bits >> 32 == 0xFFFF)
        {
            "::ffff:".CopyTo(destination);
            return 7 + FormatIPv4((uint)bits, destination[7..]);
        }

        // RFC 5952 section 4.2: compress the longest run of two or more zero groups, the first on a tie.
        int bestStart = -1, bestLength = 1;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                // Stryker disable once Statement : without it the zero-run scan starts one group later, at a non-zero group or the same run
                continue;
            }

            var start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }

        var length = 0;
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[length++] = ':';
                if (i == 0)
                {
                    destination[length++] = ':';
                }

                i += bestLength - 1;
                // Stryker disable once Block : at the last group the loop ends either way
                if (i == 7)
                {
                    // The run reaches the end: "2001:db8::" ends with the double colon.
                    // Stryker disable once Statement : at the last group the loop ends either way
                    break;
                }

                continue;
            }

            groups[i].TryFormat(destination[length..], out var hex, "x", System.Globalization.CultureInfo.InvariantCulture);
            length += hex;
            if (i < 7)
            {
                destination[length++] = ':';
            }
        }

        // Stryker disable once Statement,String : a debug check of an invariant; it never fails
        Debug.Assert(length <= 39, "an IPv6 address is at most 39 characters");
        return length;
    }

    private static int FormatIPv4(uint value, Span<char> destination)
    {
        var length = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            // Stryker disable once Bitwise : value is unsigned, so the signed and unsigned shifts agree
            ((byte)(value >> shift)).TryFormat(destination[length..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
            length += digits;
            if (shift > 0)
            {
                destination[length++] = '.';
            }
        }

        return length;
    }
}
