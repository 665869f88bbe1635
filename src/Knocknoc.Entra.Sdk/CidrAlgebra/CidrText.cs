using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Unicode;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// The text forms of addresses and CIDRs: a hand-written span parser and formatter.
/// Hand-written because <see cref="System.Net.IPAddress"/> allocates, accepts octal and hex IPv4 forms
/// (<c>010.0.0.1</c> is 8.0.0.1 to it) and zone ids, none of which belong in a named location.
/// </summary>
internal static class CidrText
{
    /// <summary>Longest text even the lenient reader looks at; bounds the work done on hostile input.</summary>
    public const int MaxInputLength = 256;

    /// <summary>Longest canonical CIDR: <c>ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128</c> is 43 characters.</summary>
    public const int MaxFormattedLength = 64;

    public static CidrParseError TryParseCidr(ReadOnlySpan<char> text, bool lenient, out Cidr result, out CidrNormalizations changes)
    {
        result = default;
        changes = CidrNormalizations.None;
        if (text.Length > MaxInputLength)
        {
            return CidrParseError.TooLong;
        }

        var trimmed = text.Trim();
        if (trimmed.Length != text.Length)
        {
            if (!lenient)
            {
                return trimmed.IsEmpty ? CidrParseError.Empty : CidrParseError.SurroundingWhitespace;
            }

            changes |= CidrNormalizations.SurroundingWhitespaceRemoved;
        }

        if (trimmed.IsEmpty)
        {
            return CidrParseError.Empty;
        }

        var slash = trimmed.IndexOf('/');
        if (slash < 0)
        {
            return CidrParseError.MissingPrefixLength;
        }

        var error = TryParseAddress(trimmed[..slash], out var isIPv6, out var bits);
        if (error != CidrParseError.None)
        {
            return error;
        }

        var maxPrefix = isIPv6 ? 128 : 32;
        error = TryParsePrefixLength(trimmed[(slash + 1)..], maxPrefix, out var prefixLength);
        if (error != CidrParseError.None)
        {
            return error;
        }

        var masked = bits & Cidr.NetworkMask(isIPv6, prefixLength);
        if (masked != bits)
        {
            if (!lenient)
            {
                return CidrParseError.HostBitsSet;
            }

            changes |= CidrNormalizations.HostBitsCleared;
        }

        result = new Cidr(isIPv6, masked, (byte)prefixLength);
        return CidrParseError.None;
    }

    public static CidrParseError TryParseCidrUtf8(ReadOnlySpan<byte> utf8, bool lenient, out Cidr result, out CidrNormalizations changes)
    {
        result = default;
        changes = CidrNormalizations.None;
        if (utf8.Length > MaxInputLength)
        {
            return CidrParseError.TooLong;
        }

        Span<char> chars = stackalloc char[MaxInputLength];
        if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return CidrParseError.InvalidUtf8;
        }

        return TryParseCidr(chars[..written], lenient, out result, out changes);
    }

    /// <summary>Parses a bare address: dotted-quad IPv4 or RFC 4291 IPv6 text, no zone id, no whitespace.</summary>
    public static CidrParseError TryParseAddress(ReadOnlySpan<char> text, out bool isIPv6, out UInt128 bits)
    {
        if (text.Contains(':'))
        {
            isIPv6 = true;
            return TryParseIPv6(text, out bits) ? CidrParseError.None : CidrParseError.InvalidAddress;
        }

        isIPv6 = false;
        var ok = TryParseIPv4(text, out var v4);
        bits = v4;
        return ok ? CidrParseError.None : CidrParseError.InvalidAddress;
    }

    private static CidrParseError TryParsePrefixLength(ReadOnlySpan<char> text, int max, out int prefixLength)
    {
        prefixLength = 0;
        if (text.IsEmpty || text.ContainsAnyExceptInRange('0', '9') || (text.Length > 1 && text[0] == '0'))
        {
            return CidrParseError.InvalidPrefixLength;
        }

        if (text.Length > 3)
        {
            return CidrParseError.PrefixLengthOutOfRange;
        }

        foreach (var c in text)
        {
            prefixLength = (prefixLength * 10) + (c - '0');
        }

        return prefixLength <= max ? CidrParseError.None : CidrParseError.PrefixLengthOutOfRange;
    }

    /// <summary>Four decimal octets 0-255 without leading zeros (a leading zero means octal to some parsers).</summary>
    private static bool TryParseIPv4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var position = 0;
        for (var octetIndex = 0; octetIndex < 4; octetIndex++)
        {
            if (octetIndex > 0)
            {
                if (position >= text.Length || text[position] != '.')
                {
                    return false;
                }

                position++;
            }

            var start = position;
            var octet = 0;
            while (position < text.Length && position - start < 3)
            {
                var digit = text[position] - '0';
                if ((uint)digit > 9)
                {
                    break;
                }

                octet = (octet * 10) + digit;
                position++;
            }

            var length = position - start;
            if (length == 0 || octet > 255 || (length > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
        }

        return position == text.Length;
    }

    private static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 bits)
    {
        bits = 0;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1;
        var position = 0;

        if (text.StartsWith("::"))
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
                var digit = HexValue(text[position]);
                if (digit < 0)
                {
                    break;
                }

                group = (group << 4) | digit;
                position++;
            }

            if (position < text.Length && text[position] == '.')
            {
                // An embedded IPv4 tail (::ffff:1.2.3.4) fills the last two groups and ends the text.
                if (count > 6 || !TryParseIPv4(text[start..], out var v4))
                {
                    return false;
                }

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

            if (text[position] != ':')
            {
                return false;
            }

            position++;
            if (position < text.Length && text[position] == ':')
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

        UInt128 value = 0;
        var zeros = 8 - count;
        for (var i = 0; i < count; i++)
        {
            if (i == gap)
            {
                value <<= 16 * zeros;
            }

            value = (value << 16) | groups[i];
        }

        if (gap == count)
        {
            value <<= 16 * zeros;
        }

        bits = value;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

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
                if (i == 7)
                {
                    // The run reaches the end: "2001:db8::" ends with the double colon.
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

        Debug.Assert(length <= 39, "an IPv6 address is at most 39 characters");
        return length;
    }

    private static int FormatIPv4(uint value, Span<char> destination)
    {
        var length = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
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
