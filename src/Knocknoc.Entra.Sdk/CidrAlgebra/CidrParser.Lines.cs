namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Reading a whole list: newline-separated CIDRs in one UTF-8 buffer, as an allow-list file holds them.</content>
internal static partial class CidrParser
{
    /// <summary>
    /// Reads lines of <paramref name="text"/> into <paramref name="destination"/> until either ends: each line one
    /// strict CIDR, <c>\n</c> or <c>\r\n</c> line ends, empty lines skipped, the last line's end optional.
    /// Every line reads as <see cref="TryParseCidrUtf8"/> reads it alone; reading line and value together only
    /// spares the separate search for each line's end, which costs as much as reading a short IPv4 line.
    /// </summary>
    /// <returns>The first error (or <see cref="CidrParseError.None"/>); <paramref name="failedLine"/> is then its text.</returns>
    public static CidrParseError TryParseLines(
        ReadOnlySpan<byte> text, Span<Cidr> destination, out int written, out int consumed, out int lineNumber, out Range failedLine)
    {
        written = 0;
        lineNumber = 0;
        failedLine = default;
        var position = 0;
        while (position < text.Length && written < destination.Length)
        {
            lineNumber++;
            // Stryker disable once Equality,Block : the quick path only skips work: the general reader below gives the same result for what it accepts
            if (text.Length - position >= QuickLineWindow && TryReadIPv4Line(text.Slice(position, QuickLineWindow), out var quick, out var quickLength))
            {
                destination[written++] = quick;
                position += quickLength;
                continue;
            }

            var rest = text[position..];
            var newline = rest.IndexOf((byte)'\n');
            var next = newline < 0 ? text.Length : position + newline + 1;
            var end = newline < 0 ? text.Length : position + newline;
            if (end > position && text[end - 1] == '\r')
            {
                end--;
            }

            if (end > position)
            {
                var error = TryParseCidrUtf8(text[position..end], lenient: false, out var cidr, out _);
                if (error != CidrParseError.None)
                {
                    consumed = position;
                    failedLine = position..end;
                    return error;
                }

                destination[written++] = cidr;
            }

            position = next;
        }

        consumed = position;
        return CidrParseError.None;
    }
}
