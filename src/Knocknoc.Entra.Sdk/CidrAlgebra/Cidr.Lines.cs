using System.Globalization;
using System.Text;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Reading a whole list of CIDRs from UTF-8 text.</content>
public readonly partial struct Cidr
{
    /// <summary>
    /// Reads newline-separated strict CIDRs from UTF-8 text, as an allow-list file holds them, into
    /// <paramref name="destination"/>: each line one CIDR read as <see cref="Parse(ReadOnlySpan{byte})"/> reads it,
    /// <c>\n</c> or <c>\r\n</c> line ends, empty lines skipped, the last line's end optional. Faster than splitting the
    /// text and parsing each line, because the line's end is found while its value is read.
    /// </summary>
    /// <param name="utf8Text">Whole lines: a last line without a line end is read as a line, so a reader that feeds
    /// a file in chunks passes each chunk up to its last line end.</param>
    /// <param name="destination">Where the CIDRs go, in the order of the lines. Reading stops when it is full.</param>
    /// <param name="bytesConsumed">How many bytes of <paramref name="utf8Text"/> were read: all of it, or the lines
    /// that filled <paramref name="destination"/> (continue from there).</param>
    /// <returns>How many CIDRs were written to <paramref name="destination"/>.</returns>
    /// <exception cref="FormatException">A line is not a strict CIDR; the message gives its number (1 for the
    /// first line of <paramref name="utf8Text"/>), its text and why. What was read before it stays in
    /// <paramref name="destination"/>.</exception>
    public static int ParseLines(ReadOnlySpan<byte> utf8Text, Span<Cidr> destination, out int bytesConsumed)
    {
        var error = CidrParser.TryParseLines(utf8Text, destination, out var written, out bytesConsumed, out var lineNumber, out var failedLine);
        if (error == CidrParseError.None)
        {
            return written;
        }

        // Decode no more than the quote can show: the line may be hostile or huge (longer lines fail as too long).
        var line = utf8Text[failedLine];
        var shown = Encoding.UTF8.GetString(line[..Math.Min(line.Length, CidrParser.MaxInputLength)]);
        throw ParseFailure(error, shown, string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}: "));
    }
}
