using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Text the SDK did not write itself (grant ids, gate and location names, addresses as typed, ids and messages from
/// Graph) as every log entry and exception message shows it: the one place such text is made safe to show.
/// </summary>
/// <remarks>
/// <para>
/// Printable ASCII is shown as it is, except the backslash, which is doubled; every other character (control
/// characters such as CR, LF and ESC, bidirectional overrides and isolates, invisible and non-ASCII characters) is
/// shown as <c>\uXXXX</c>. So a grant id can neither forge a log line, nor recolour a terminal, nor reorder what a
/// reader sees, nor pass for another id with a look-alike letter (Cyrillic <c>а</c> for Latin <c>a</c>), and the
/// original can always be read back. Text longer than the cap is cut, with its length and a short hash so two long
/// ids that share a beginning stay apart.
/// </para>
/// <para>
/// As a log parameter (<c>[LoggerMessage]</c> methods take it instead of <see cref="string"/>) the value is made safe
/// when it is formatted, for the message and for structured state alike: providers show a state value by its
/// <see cref="ToString"/>.
/// </para>
/// </remarks>
internal readonly record struct ShownText
{
    /// <summary>The most characters shown of caller text before it is cut.</summary>
    public const int MaxLength = 64;

    private readonly string? _text;

    private ShownText(string? text) => _text = text;

    public static implicit operator ShownText(string? text) => new(text);

    /// <summary>Wraps text to be shown safely when it is formatted.</summary>
    public static ShownText FromString(string? text) => new(text);

    /// <summary>Shows <paramref name="text"/> safely: escaped, and cut at <paramref name="maxLength"/> characters.</summary>
    /// <param name="text">The text; null shows as <c>(null)</c>.</param>
    /// <param name="maxLength">How many characters to show at most before the cut.</param>
    public static string Of(string? text, int maxLength = MaxLength)
    {
        if (text is null)
        {
            return "(null)";
        }

        if (text.Length <= maxLength && !text.AsSpan().ContainsAnyExceptInRange(' ', '~') && !text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var shown = new StringBuilder(Math.Min(text.Length, maxLength) + 32);
        var cut = false;
        foreach (var c in text)
        {
            var escape = c is < ' ' or > '~' ? 6 : c == '\\' ? 2 : 1;
            if (shown.Length + escape > maxLength)
            {
                cut = true;
                break;
            }

            _ = escape switch
            {
                6 => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                2 => shown.Append(@"\\"),
                _ => shown.Append(c),
            };
        }

        if (cut)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
            shown.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters, #{hash})");
        }

        return shown.ToString();
    }

    /// <summary>Gets the text as it may be shown.</summary>
    public override string ToString() => Of(_text);
}
