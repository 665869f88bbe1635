using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>The address halves of <see cref="CidrParser"/>: IPv4 octets and IPv6 groups, generic over UTF-16 and UTF-8 code units.</summary>
internal static partial class CidrParser
{
    /// <summary>Four decimal octets 0-255 without leading zeros (a leading zero means octal to some parsers).</summary>
    private static bool TryParseIPv4<TChar>(ReadOnlySpan<TChar> text, out uint value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        var position = 0;
        for (var octetIndex = 0; octetIndex < 4; octetIndex++)
        {
            if (octetIndex > 0)
            {
                if (position >= text.Length || Code(text[position]) != '.')
                {
                    return false;
                }

                position++;
            }

            if (!TryReadOctet(text, ref position, out var octet))
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
        }

        return position == text.Length;
    }

    /// <summary>One decimal octet, 0-255, without a leading zero (a leading zero means octal to some parsers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadOctet<TChar>(ReadOnlySpan<TChar> text, ref int position, out int octet)
        where TChar : unmanaged
    {
        var start = position;
        octet = 0;
        while (position < text.Length && position - start < 3)
        {
            var digit = Code(text[position]) - '0';
            if ((uint)digit > 9)
            {
                break;
            }

            octet = (octet * 10) + digit;
            position++;
        }

        var length = position - start;
        return length > 0 && octet <= 255 && (length == 1 || Code(text[start]) != '0');
    }

    private static bool TryParseIPv6<TChar>(ReadOnlySpan<TChar> text, out UInt128 bits)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        bits = 0;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1;
        var position = 0;

        if (text.Length >= 2 && Code(text[0]) == ':' && Code(text[1]) == ':')
        {
            gap = 0;
            position = 2;
        }

        while (position < text.Length)
        {
            if (count == 8)
            {
                return false;
            }

            var start = position;
            var group = 0;
            while (position < text.Length && position - start < 5)
            {
                var digit = HexValue(Code(text[position]));
                if (digit < 0)
                {
                    break;
                }

                group = (group << 4) | digit;
                position++;
            }

            if (position < text.Length && Code(text[position]) == '.')
            {
                // An embedded IPv4 tail (::ffff:1.2.3.4) fills the last two groups and ends the text.
                if (count > 6 || !TryParseIPv4(text[start..], out var v4))
                {
                    return false;
                }

                // Stryker disable once Bitwise : v4 is unsigned, so the signed and unsigned shifts agree
                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                position = text.Length;
                break;
            }

            var length = position - start;
            if (length is 0 or > 4)
            {
                return false;
            }

            groups[count++] = (ushort)group;
            if (position == text.Length)
            {
                break;
            }

            if (Code(text[position]) != ':')
            {
                return false;
            }

            position++;
            if (position < text.Length && Code(text[position]) == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                position++;
            }
            else if (position == text.Length)
            {
                return false;
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        // Assemble as two 64-bit halves: cheaper than shifting a UInt128 eight times.
        ulong upper = 0, lower = 0;
        var zeros = 8 - count;
        var index = 0;
        for (var i = 0; i <= count; i++)
        {
            if (i == gap)
            {
                index += zeros;
            }

            if (i == count)
            {
                break;
            }

            if (index < 4)
            {
                // Stryker disable once Assignment : each group fills its own 16 bits, so XOR and OR give the same bits
                upper |= (ulong)groups[i] << (48 - (16 * index));
            }
            else
            {
                // Stryker disable once Assignment : each group fills its own 16 bits, so XOR and OR give the same bits
                lower |= (ulong)groups[i] << (48 - (16 * (index - 4)));
            }

            index++;
        }

        bits = new UInt128(upper, lower);
        return true;
    }

    /// <summary>A code unit as a number; folds to a plain load for <see cref="byte"/> and <see cref="char"/> (generic math does not, for char).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code<TChar>(TChar unit)
        where TChar : unmanaged => Unsafe.SizeOf<TChar>() == 1 ? Unsafe.As<TChar, byte>(ref unit) : Unsafe.As<TChar, char>(ref unit);

    /// <summary>An ASCII character as a code unit of the text's type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TChar Unit<TChar>(char ascii)
        where TChar : unmanaged
    {
        // Stryker disable once Block : on little-endian machines the low byte of the char is the same code unit
        if (Unsafe.SizeOf<TChar>() == 1)
        {
            var narrow = (byte)ascii;
            return Unsafe.As<byte, TChar>(ref narrow);
        }

        return Unsafe.As<char, TChar>(ref ascii);
    }

    /// <summary>
    /// The value of each byte as a hex digit, 255 for any other byte. A table rather than range tests: digits and
    /// letters come in random order in real addresses, so a test's branch is mispredicted often (IPv6 lines read
    /// in less than half the time).
    /// </summary>
    private static ReadOnlySpan<byte> HexDigits =>
    [
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 255, 255, 255, 255, 255,
        255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    ];

    /// <summary>The value of a hex digit (any case), or -1: the one rule for both the general and the quick reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(int c)
    {
        var digit = (uint)c < 256 ? Unsafe.Add(ref MemoryMarshal.GetReference(HexDigits), c) : 255;
        return digit == 255 ? -1 : digit;
    }
}
