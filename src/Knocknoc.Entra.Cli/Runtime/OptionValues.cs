using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// Options whose values are checked as they are parsed: a bad value is a parse error naming the option and what it
/// takes (<c>--port: 'abc' is not a whole number from 0 to 65535</c>), printed as one line with exit 2, never a
/// conversion exception. A command needing a number, a word, a duration or a time takes its option from here.
/// </summary>
internal static class OptionValues
{
    /// <summary>A whole number within a range.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <returns>The option.</returns>
    public static Option<int> Whole(string name, int min, int max, int defaultValue) => new(name)
    {
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, $"a whole number from {min} to {max}", text =>
            (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max, value)),
    };

    /// <summary>A decimal number within a range (a point, never a comma, whatever the locale).</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <param name="unit">What the number counts, for the message (<c>seconds</c>), or empty.</param>
    /// <returns>The option.</returns>
    public static Option<double> Number(string name, double min, double max, double defaultValue, string unit = "") => new(name)
    {
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, $"a number from {Text(min)} to {Text(max)}{(unit.Length > 0 ? " " + unit : string.Empty)}", text =>
            (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max, value)),
    };

    /// <summary>One of a few words, in any case; the value is the word as listed.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="defaultValue">The value when the option is not given (one of <paramref name="words"/>).</param>
    /// <param name="words">The words it takes.</param>
    /// <returns>The option.</returns>
    public static Option<string> Choice(string name, string defaultValue, params string[] words) => new(name)
    {
        DefaultValueFactory = _ => defaultValue,
        HelpName = string.Join('|', words),
        CustomParser = result => Parse(result, name, $"one of {string.Join(", ", words)}", text =>
            words.FirstOrDefault(word => string.Equals(word, text, StringComparison.OrdinalIgnoreCase)) is { } word ? (true, word) : (false, defaultValue)),
    };

    /// <summary>A positive duration: <c>90s</c>, <c>15m</c>, <c>8h</c>, <c>2d</c>, or <c>h:mm[:ss]</c>.</summary>
    /// <param name="name">The option's name.</param>
    /// <returns>The option (null when not given).</returns>
    public static Option<TimeSpan?> Duration(string name) => new(name)
    {
        HelpName = "DURATION",
        CustomParser = result => Parse(result, name, "a duration such as 90s, 15m, 8h, 2d or 1:30", text =>
            ParseDuration(text) is { } duration ? (true, duration) : (false, (TimeSpan?)null)),
    };

    /// <summary>A point in time with its offset (ISO 8601, such as <c>2026-12-06T18:00:00Z</c> or <c>2026-12-06T18:00+01:00</c>).</summary>
    /// <param name="name">The option's name.</param>
    /// <returns>The option (null when not given).</returns>
    public static Option<DateTimeOffset?> Time(string name) => new(name)
    {
        HelpName = "TIME",
        CustomParser = result => Parse(result, name, "a time with its offset, such as 2026-12-06T18:00:00Z or 2026-12-06T18:00+01:00", text =>
            HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                ? (true, value)
                : (false, (DateTimeOffset?)null)),
    };

    /// <summary>Parses a duration as <see cref="Duration"/> takes it.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The duration, or null when the text is not a positive duration of at most ten years.</returns>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        TimeSpan? duration = null;
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            var unit = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            duration = amount * unit.TotalSeconds <= MaxDuration.TotalSeconds ? unit * amount : null;
        }
        else if (text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(text, [@"h\:mm", @"hh\:mm", @"h\:mm\:ss", @"hh\:mm\:ss"], CultureInfo.InvariantCulture, out var clock))
        {
            duration = clock;
        }

        return duration > TimeSpan.Zero ? duration : null;
    }

    // Ten years: longer is a typing mistake, and would overflow a point in time soon enough.
    private static TimeSpan MaxDuration => TimeSpan.FromDays(3653);

    // A time without an offset would be read in the machine's zone: refused, so a script means the same everywhere.
    private static bool HasOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't']);
        return t > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > t);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static T Parse<T>(ArgumentResult result, string name, string expected, Func<string, (bool Ok, T Value)> parse)
    {
        // One token per option; System.CommandLine itself reports a missing one.
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        var (ok, value) = parse(text.Trim());
        if (!ok)
        {
            result.AddError($"{name}: '{text}' is not {expected}");
        }

        return value;
    }
}
