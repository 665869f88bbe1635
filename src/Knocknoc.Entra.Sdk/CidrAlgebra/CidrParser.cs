using System.Buffers;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// Reads the text forms of addresses and CIDRs, strictly or leniently, from UTF-16 or UTF-8: a hand-written span
/// parser behind <see cref="Cidr"/>'s <c>Parse</c> and <c>TryParse</c> (its formatter is <see cref="CidrFormatter"/>).
/// Hand-written because <see cref="System.Net.IPAddress"/> allocates, accepts octal and hex IPv4 forms
/// (<c>010.0.0.1</c> is 8.0.0.1 to it) and zone ids, none of which belong in a named location.
/// </summary>
internal static partial class CidrParser
{
    /// <summary>Longest text even the lenient reader looks at; bounds the work done on hostile input.</summary>
    public const int MaxInputLength = 256;

    public static CidrParseError TryParseCidr(ReadOnlySpan<char> text, bool lenient, out Cidr result, out CidrNormalizations changes)
    {
        if (text.Length > MaxInputLength)
        {
            result = default;
            changes = CidrNormalizations.None;
            return CidrParseError.TooLong;
        }

        return TryParseTrimmed(text.Trim(), text.Length, lenient, out result, out changes);
    }

    public static CidrParseError TryParseCidrUtf8(ReadOnlySpan<byte> utf8, bool lenient, out Cidr result, out CidrNormalizations changes)
    {
        // Most lines of every list are canonical IPv4 CIDRs, the rest mostly plain IPv6: read them before the ASCII
        // and whitespace passes, which such text always passes (the quick paths accept nothing else).
        // Stryker disable once Block,Logical : the quick paths only skip work: the general parser gives the same result for what they accept
        if (TryParseCanonicalIPv4Utf8(utf8, out result) || TryParseQuickIPv6Utf8(utf8, out result))
        {
            changes = CidrNormalizations.None;
            return CidrParseError.None;
        }

        if (utf8.Length > MaxInputLength)
        {
            result = default;
            changes = CidrNormalizations.None;
            return CidrParseError.TooLong;
        }

        // Stryker disable once Block : without this branch ASCII goes through the UTF-16 reading below, which reads it the same
        if (Ascii.IsValid(utf8))
        {
            return TryParseTrimmed(utf8[Ascii.Trim(utf8)], utf8.Length, lenient, out result, out changes);
        }

        // Not ASCII: never a strict CIDR, but the lenient reader trims Unicode whitespace, as for UTF-16 text.
        Span<char> chars = stackalloc char[MaxInputLength];
        if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            result = default;
            changes = CidrNormalizations.None;
            return CidrParseError.InvalidUtf8;
        }

        return TryParseCidr(chars[..written], lenient, out result, out changes);
    }

    /// <summary>The parser proper, for UTF-16 (<see cref="char"/>) and ASCII (<see cref="byte"/>) text alike.</summary>
    private static CidrParseError TryParseTrimmed<TChar>(ReadOnlySpan<TChar> trimmed, int untrimmedLength, bool lenient, out Cidr result, out CidrNormalizations changes)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        result = default;
        changes = CidrNormalizations.None;
        if (trimmed.Length != untrimmedLength)
        {
            if (!lenient)
            {
                return trimmed.IsEmpty ? CidrParseError.Empty : CidrParseError.SurroundingWhitespace;
            }

            // Stryker disable once Assignment : changes is still None here, so XOR and OR give the same flags
            changes |= CidrNormalizations.SurroundingWhitespaceRemoved;
        }

        if (trimmed.IsEmpty)
        {
            return CidrParseError.Empty;
        }

        // Stryker disable once Block : the quick path only skips work: the general parser gives the same result for what it accepts
        if (TryParseCanonicalIPv4(trimmed, out var quick))
        {
            result = quick;
            return CidrParseError.None;
        }

        return TryParseGeneral(trimmed, lenient, ref changes, out result);
    }

    /// <summary>
    /// The general parser: any address form, strict or lenient, for text already trimmed and not empty. Apart from
    /// the tests, only <see cref="TryParseTrimmed"/> calls it, after the quick path declined.
    /// </summary>
    internal static CidrParseError TryParseGeneral<TChar>(ReadOnlySpan<TChar> trimmed, bool lenient, ref CidrNormalizations changes, out Cidr result)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        result = default;
        var slash = trimmed.IndexOf(Unit<TChar>('/'));
        if (slash < 0)
        {
            return CidrParseError.MissingPrefixLength;
        }

        var address = trimmed[..slash];
        var prefixText = trimmed[(slash + 1)..];
        if (!address.Contains(Unit<TChar>(':')))
        {
            // IPv4 stays in 32-bit arithmetic: it is most of every list, and UInt128 shifts are not free.
            if (!TryParseIPv4(address, out var v4))
            {
                return CidrParseError.InvalidAddress;
            }

            var error = TryParsePrefixLength(prefixText, 32, out var prefixLength);
            if (error != CidrParseError.None)
            {
                return error;
            }

            var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
            if ((v4 & mask) != v4)
            {
                if (!lenient)
                {
                    return CidrParseError.HostBitsSet;
                }

                // Stryker disable once Assignment : HostBitsCleared is not yet set here, so XOR and OR give the same flags
                changes |= CidrNormalizations.HostBitsCleared;
            }

            result = new Cidr(isIPv6: false, v4 & mask, (byte)prefixLength);
            return CidrParseError.None;
        }

        if (!TryParseIPv6(address, out var bits))
        {
            return CidrParseError.InvalidAddress;
        }

        var v6Error = TryParsePrefixLength(prefixText, 128, out var v6PrefixLength);
        if (v6Error != CidrParseError.None)
        {
            return v6Error;
        }

        var masked = bits & Cidr.NetworkMask(isIPv6: true, v6PrefixLength);
        if (masked != bits)
        {
            if (!lenient)
            {
                return CidrParseError.HostBitsSet;
            }

            // Stryker disable once Assignment : HostBitsCleared is not yet set here, so XOR and OR give the same flags
            changes |= CidrNormalizations.HostBitsCleared;
        }

        result = new Cidr(isIPv6: true, masked, (byte)v6PrefixLength);
        return CidrParseError.None;
    }

    /// <summary>
    /// One pass over the common case, a canonical IPv4 CIDR. Anything unusual (IPv6, host bits, any error)
    /// returns false and goes through the general parser, which alone decides what the text is and why not.
    /// </summary>
    internal static bool TryParseCanonicalIPv4<TChar>(ReadOnlySpan<TChar> text, out Cidr result)
        where TChar : unmanaged
    {
        result = default;
        uint address = 0;
        var position = 0;
        for (var octetIndex = 0; octetIndex < 4; octetIndex++)
        {
            if (!TryReadOctet(text, ref position, out var octet)
                || position >= text.Length || Code(text[position]) != (octetIndex < 3 ? '.' : '/'))
            {
                return false;
            }

            address = (address << 8) | (uint)octet;
            position++;
        }

        var prefixLength = 0;
        var prefixStart = position;
        for (; position < text.Length; position++)
        {
            var digit = Code(text[position]) - '0';
            if ((uint)digit > 9 || position - prefixStart == 2)
            {
                return false;
            }

            prefixLength = (prefixLength * 10) + digit;
        }

        var prefixDigits = position - prefixStart;
        if (prefixDigits == 0 || prefixLength > 32 || (prefixDigits > 1 && Code(text[prefixStart]) == '0'))
        {
            return false;
        }

        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        if ((address & mask) != address)
        {
            return false;
        }

        result = new Cidr(isIPv6: false, address, (byte)prefixLength);
        return true;
    }

    private static CidrParseError TryParsePrefixLength<TChar>(ReadOnlySpan<TChar> text, int max, out int prefixLength)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        prefixLength = 0;
        if (text.IsEmpty || text.ContainsAnyExceptInRange(Unit<TChar>('0'), Unit<TChar>('9'))
            || (text.Length > 1 && text[0] == Unit<TChar>('0')))
        {
            return CidrParseError.InvalidPrefixLength;
        }

        if (text.Length > 3)
        {
            return CidrParseError.PrefixLengthOutOfRange;
        }

        foreach (var c in text)
        {
            prefixLength = (prefixLength * 10) + (Code(c) - '0');
        }

        return prefixLength <= max ? CidrParseError.None : CidrParseError.PrefixLengthOutOfRange;
    }
}
