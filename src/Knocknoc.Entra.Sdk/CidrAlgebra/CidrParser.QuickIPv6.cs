
namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>The quick path for an IPv6 CIDR in UTF-8, the other tenth of a typical list.</content>
internal static partial class CidrParser
{
    /// <summary>
    /// One pass over UTF-8 bytes for a strict IPv6 CIDR in hex groups (any case, compressed or not, no embedded
    /// IPv4, no host bits): no trimming, no slicing, no group buffer. Declines (returns false) anything else,
    /// including every error, so that the general parser alone decides what the text is and why it is not a CIDR.
    /// </summary>
    internal static bool TryParseQuickIPv6Utf8(ReadOnlySpan<byte> text, out Cidr result)
    {
        result = default;

        // "::/0" is the shortest; eight full groups and "/128" the longest.
        if ((uint)(text.Length - 4) > 43 - 4)
        {
            return false;
        }

        // The groups, shifted in as they come, in two 64-bit halves: cheaper than a 128-bit shift a group.
        ulong upper = 0, lower = 0;
        int position = 0, groups = 0, gapAt = -1;
        var afterGap = false;
        if (text[0] == ':')
        {
            if (text[1] != ':')
            {
                return false;
            }

            (gapAt, position, afterGap) = (0, 2, true);
        }

        while (true)
        {
            if (afterGap && position < text.Length && text[position] == '/')
            {
                break;
            }

            // One group: one to four hex digits.
            var start = position;
            uint group = 0;
            while (position < text.Length && position - start < 4)
            {
                var digit = HexValue(text[position]);
                if (digit < 0)
                {
                    break;
                }

                group = (group << 4) | (uint)digit;
                position++;
            }

            if (position == start || groups == 8 || position >= text.Length)
            {
                return false;
            }

            upper = (upper << 16) | (lower >> 48);
            lower = (lower << 16) | group;
            groups++;
            var separator = text[position];
            if (separator == '/')
            {
                break;
            }

            if (separator != ':')
            {
                return false;
            }

            position++;
            afterGap = position < text.Length && text[position] == ':';
            if (afterGap)
            {
                if (gapAt >= 0)
                {
                    return false;
                }

                gapAt = groups;
                position++;
            }
        }

        if (gapAt < 0 ? groups != 8 : groups > 7)
        {
            return false;
        }

        var bits = new UInt128(upper, lower);
        if (gapAt >= 0)
        {
            // The groups after the gap stay at the bottom; those before it move to the top.
            var tailBits = 16 * (groups - gapAt);
            var tail = tailBits == 0 ? UInt128.Zero : bits & (UInt128.MaxValue >> (128 - tailBits));
            var head = tailBits == 128 ? UInt128.Zero : bits >> tailBits;
            bits = gapAt == 0 ? tail : (head << (128 - (16 * gapAt))) | tail;
        }

        // The prefix length: one to three digits after the slash, no leading zero, at most 128, and no host bits.
        position++;
        var digits = text.Length - position;
        if (digits is < 1 or > 3 || (digits > 1 && text[position] == '0'))
        {
            return false;
        }

        var prefixLength = 0;
        for (; position < text.Length; position++)
        {
            var digit = (uint)(text[position] - '0');
            if (digit > 9)
            {
                return false;
            }

            prefixLength = (prefixLength * 10) + (int)digit;
        }

        if (prefixLength > 128 || (bits & ~Cidr.NetworkMask(isIPv6: true, prefixLength)) != 0)
        {
            return false;
        }

        result = new Cidr(isIPv6: true, bits, (byte)prefixLength);
        return true;
    }
}
