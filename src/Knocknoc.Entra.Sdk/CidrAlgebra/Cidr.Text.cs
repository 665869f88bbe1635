using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Reading and writing the text form.</content>
public readonly partial struct Cidr
{
    /// <summary>Reads a strict, canonical CIDR such as <c>203.0.113.0/24</c> or <c>2001:db8::/48</c>.</summary>
    /// <param name="s">The text: no whitespace, a prefix length, no bits set after it.</param>
    /// <returns>The network.</returns>
    /// <exception cref="FormatException">The text is not a strict CIDR; the message says why.</exception>
    public static Cidr Parse(string s) => Parse(s.AsSpan());

    /// <summary>Reads a strict, canonical CIDR.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The network.</returns>
    /// <exception cref="FormatException">The text is not a strict CIDR; the message says why.</exception>
    public static Cidr Parse(ReadOnlySpan<char> s)
    {
        var error = CidrParser.TryParseCidr(s, lenient: false, out var result, out _);
        return error == CidrParseError.None ? result : throw ParseFailure(error, s);
    }

    /// <summary>Reads a strict, canonical CIDR from UTF-8 text.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <returns>The network.</returns>
    /// <exception cref="FormatException">The text is not a strict CIDR; the message says why.</exception>
    public static Cidr Parse(ReadOnlySpan<byte> utf8Text)
    {
        var error = CidrParser.TryParseCidrUtf8(utf8Text, lenient: false, out var result, out _);
        return error == CidrParseError.None ? result : throw ParseFailure(error, Encoding.UTF8.GetString(utf8Text));
    }

    /// <summary>Tries to read a strict, canonical CIDR. Never throws.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The network, or <c>default</c>.</param>
    /// <returns><see langword="true"/> when the text is a strict CIDR.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Cidr result) => TryParse(s.AsSpan(), out result);

    /// <summary>Tries to read a strict, canonical CIDR. Never throws.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The network, or <c>default</c>.</param>
    /// <returns><see langword="true"/> when the text is a strict CIDR.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out Cidr result) =>
        CidrParser.TryParseCidr(s, lenient: false, out result, out _) == CidrParseError.None;

    /// <summary>Tries to read a strict, canonical CIDR from UTF-8 text. Never throws.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="result">The network, or <c>default</c>.</param>
    /// <returns><see langword="true"/> when the text is a strict CIDR.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Cidr result) =>
        CidrParser.TryParseCidrUtf8(utf8Text, lenient: false, out result, out _) == CidrParseError.None;

    /// <summary>
    /// Tries to read a CIDR as Entra may hold it after a person typed it in the portal: surrounding whitespace
    /// and bits after the prefix length (<c>12.34.221.11/22</c>) are accepted and normalised away;
    /// uncompressed or upper-case IPv6 is read as usual. Never throws.
    /// </summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The canonical network, or <c>default</c>.</param>
    /// <param name="normalizations">What was changed to make the text canonical.</param>
    /// <returns><see langword="true"/> when the text is a CIDR.</returns>
    public static bool TryParseLenient(ReadOnlySpan<char> s, out Cidr result, out CidrNormalizations normalizations) =>
        CidrParser.TryParseCidr(s, lenient: true, out result, out normalizations) == CidrParseError.None;

    /// <summary>Tries to read a CIDR leniently from UTF-8 text (see the <see cref="char"/> overload). Never throws.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="result">The canonical network, or <c>default</c>.</param>
    /// <param name="normalizations">What was changed to make the text canonical.</param>
    /// <returns><see langword="true"/> when the text is a CIDR.</returns>
    public static bool TryParseLenient(ReadOnlySpan<byte> utf8Text, out Cidr result, out CidrNormalizations normalizations) =>
        CidrParser.TryParseCidrUtf8(utf8Text, lenient: true, out result, out normalizations) == CidrParseError.None;

    /// <summary>Reads a CIDR leniently (see <see cref="TryParseLenient(ReadOnlySpan{char}, out Cidr, out CidrNormalizations)"/>).</summary>
    /// <param name="s">The text.</param>
    /// <returns>The canonical network.</returns>
    /// <exception cref="FormatException">The text is not a CIDR even leniently; the message says why.</exception>
    public static Cidr ParseLenient(ReadOnlySpan<char> s)
    {
        var error = CidrParser.TryParseCidr(s, lenient: true, out var result, out _);
        return error == CidrParseError.None ? result : throw ParseFailure(error, s);
    }

    /// <inheritdoc/>
    static Cidr IParsable<Cidr>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc/>
    static bool IParsable<Cidr>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Cidr result) => TryParse(s, out result);

    /// <inheritdoc/>
    static Cidr ISpanParsable<Cidr>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc/>
    static bool ISpanParsable<Cidr>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Cidr result) => TryParse(s, out result);

    /// <inheritdoc/>
    static Cidr IUtf8SpanParsable<Cidr>.Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => Parse(utf8Text);

    /// <inheritdoc/>
    static bool IUtf8SpanParsable<Cidr>.TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Cidr result) => TryParse(utf8Text, out result);

    /// <summary>The canonical text: dotted IPv4, RFC 5952 IPv6, then <c>/prefix-length</c>.</summary>
    /// <returns>The text, such as <c>2001:db8::/48</c>.</returns>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[CidrFormatter.MaxFormattedLength];
        CidrFormatter.TryFormat(this, buffer, out var written);
        return new string(buffer[..written]);
    }

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes the canonical text into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">How many characters were written.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too short.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten) => CidrFormatter.TryFormat(this, destination, out charsWritten);

    /// <summary>Writes the canonical text as UTF-8 into <paramref name="utf8Destination"/>.</summary>
    /// <param name="utf8Destination">Where to write.</param>
    /// <param name="bytesWritten">How many bytes were written.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too short.</returns>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        Span<char> buffer = stackalloc char[CidrFormatter.MaxFormattedLength];
        CidrFormatter.TryFormat(this, buffer, out var length);
        bytesWritten = 0;
        if (length > utf8Destination.Length)
        {
            return false;
        }

        // The canonical text is ASCII, so each character is one byte.
        for (var i = 0; i < length; i++)
        {
            utf8Destination[i] = (byte)buffer[i];
        }

        bytesWritten = length;
        return true;
    }

    /// <inheritdoc/>
    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    /// <inheritdoc/>
    bool IUtf8SpanFormattable.TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(utf8Destination, out bytesWritten);

    /// <param name="error">Why the text is not a CIDR.</param>
    /// <param name="text">The text, or its first part when it is long (anything over 64 characters is cut).</param>
    /// <param name="where">What comes before the quote, such as "Line 3: " for a line of a list.</param>
    private static FormatException ParseFailure(CidrParseError error, ReadOnlySpan<char> text, string where = "")
    {
        // Quote at most 64 characters: the input may be hostile or huge.
        var quoted = text.Length <= 64 ? text.ToString() : string.Concat(text[..64], "...");
        var isIPv6 = text.Contains(':');
        return new FormatException(string.Create(
            CultureInfo.InvariantCulture,
            $"{where}'{quoted}' is not a valid CIDR: {CidrParseErrorText.Describe(error, isIPv6)}."));
    }
}
