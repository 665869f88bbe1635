using System.Globalization;
using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Reads configuration values and collects what is wrong with them instead of throwing, so that one validation pass
/// lists every problem. Problems name the key by its full path; a value is shown only where the key is not secret.
/// </summary>
internal sealed class ConfigurationReader(IConfiguration root, List<string> problems)
{
    public const string SpanForm = "a duration such as 00:00:05 (hh:mm:ss) or 1.00:00:00 (a day)";

    public delegate bool TryParser<T>(string text, out T value);

    public void Problem(string text) => problems.Add(text);

    /// <summary>Reports every child of <paramref name="section"/> that is not one of <paramref name="known"/>.</summary>
    public void RefuseUnknown(IConfiguration section, IReadOnlyCollection<string> known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{child.Path} is not a setting of the gate; the settings here are {string.Join(", ", known)}.");
            }
        }
    }

    public void Text(string key, Action<string> set) => Text(root, key, set);

    public static void Text(IConfiguration section, string key, Action<string> set)
    {
        if (section[key] is { } value)
        {
            set(value);
        }
    }

    public void Parsed<T>(string key, string form, TryParser<T> parse, Action<T> set) => Parsed(root, key, form, parse, set);

    public void Parsed<T>(IConfiguration section, string key, string form, TryParser<T> parse, Action<T> set)
    {
        if (section[key] is not { } text)
        {
            return;
        }

        if (parse(text.Trim(), out var value))
        {
            set(value);
        }
        else
        {
            problems.Add($"{PathOf(section, key)} = '{ShownText.Of(text)}' is not {form}.");
        }
    }

    /// <summary>A list as configuration holds it: children 0, 1, ... (JSON arrays), or one comma-separated value (an environment variable).</summary>
    public IEnumerable<(string Path, string Text)> List(IConfiguration section, string key)
    {
        var list = section.GetSection(key);
        if (list.Value is { } joined)
        {
            foreach (var item in joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return (list.Path, item);
            }

            yield break;
        }

        foreach (var child in list.GetChildren())
        {
            if (child.Value is { } value)
            {
                yield return (child.Path, value);
            }
            else
            {
                problems.Add($"{child.Path} must be a value, not a section.");
            }
        }
    }

    public static bool TrySpan(string text, out TimeSpan value)
    {
        if (string.Equals(text, "Infinite", StringComparison.OrdinalIgnoreCase))
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static string PathOf(IConfiguration section, string key) =>
        section is IConfigurationSection { Path: { Length: > 0 } path } ? $"{path}:{key}" : key;
}
