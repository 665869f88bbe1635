using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>The quick path for the line most lists are made of: a canonical IPv4 CIDR in UTF-8.</content>
internal static partial class CidrParser
{
    /// <summary>
    /// One branch-light pass over UTF-8 bytes for a canonical IPv4 CIDR (<c>a.b.c.d/n</c>, no leading zeros, no
    /// host bits), which is most of every list. Declines (returns false) anything else, including every error,
    /// so that the general parser alone decides what the text is and why it is not a CIDR.
    /// </summary>
    internal static bool TryParseCanonicalIPv4Utf8(ReadOnlySpan<byte> text, out Cidr result)
    {
        result = default;

        // "0.0.0.0/0" is the shortest, "255.255.255.255/32" the longest; within that length every read below
        // is in bounds once the position is checked against the end before the optional second and third digits.
        var length = text.Length;
        if ((uint)(length - 9) > 18 - 9)
        {
            return false;
        }

        ref var start = ref MemoryMarshal.GetReference(text);
        uint address = 0;
        var position = 0;
        for (var octetIndex = 0; octetIndex < 4; octetIndex++)
        {
            if (!TryReadOctet(ref start, length, ref position, out var octet)
                || position >= length
                || Unsafe.Add(ref start, position) != (octetIndex < 3 ? (byte)'.' : (byte)'/'))
            {
                return false;
            }

            address = (address << 8) | octet;
            position++;
        }

        // The prefix length: one digit, or two without a leading zero, at most 32.
        var remaining = length - position;
        uint prefixLength;
        var first = (uint)(Unsafe.Add(ref start, Math.Min(position, length - 1)) - '0');
        if (remaining == 1 && first <= 9)
        {
            prefixLength = first;
        }
        else if (remaining == 2 && first - 1 <= 8)
        {
            var second = (uint)(Unsafe.Add(ref start, position + 1) - '0');
            prefixLength = (first * 10) + second;
            if (second > 9 || prefixLength > 32)
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        var hostMask = (uint)(0xFFFF_FFFFUL >> (int)prefixLength);
        if ((address & hostMask) != 0)
        {
            return false;
        }

        result = new Cidr(address, (byte)prefixLength);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadOctet(ref byte start, int length, ref int position, out uint octet)
    {
        // Text may end just after a separator ("255.255.1." is long enough to get here).
        octet = position < length ? (uint)(Unsafe.Add(ref start, position) - '0') : uint.MaxValue;
        if (octet > 9)
        {
            return false;
        }

        position++;
        if (position < length)
        {
            var digit = (uint)(Unsafe.Add(ref start, position) - '0');
            if (digit <= 9)
            {
                // A leading zero means octal to some parsers: "01" is never canonical.
                if (octet == 0)
                {
                    return false;
                }

                octet = (octet * 10) + digit;
                position++;
                if (position < length)
                {
                    digit = (uint)(Unsafe.Add(ref start, position) - '0');
                    if (digit <= 9)
                    {
                        octet = (octet * 10) + digit;
                        position++;
                    }
                }
            }
        }

        return octet <= 255;
    }
}
