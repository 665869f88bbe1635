using System.Globalization;
using System.Text;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// Text from outside (a location's display name or id as Graph returned it, a message quoting one) made safe to show:
/// control characters, an escape sequence's ESC first of all, are shown as <c>\u001B</c> and never reach the terminal,
/// where they could repaint the screen or forge a line the user trusts. Line breaks and tabs stay.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16);
        foreach (var character in text)
        {
            safe.Append(IsUnsafe(character) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)character:X4}") : character);
        }

        return safe.ToString();
    }

    // C0 and C1 controls and DEL; also the bidirectional overrides, which can make a shown name read as another.
    private static bool IsUnsafe(char character) =>
        (char.IsControl(character) && character is not ('\n' or '\t'))
        || character is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
