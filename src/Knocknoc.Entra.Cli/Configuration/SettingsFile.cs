using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>
/// Reads the configuration file: <c>key=value</c> lines, blank lines and <c>#</c> comments. Keys are
/// <see cref="SettingKeys.All"/> and <c>acl.NAME</c>; an unknown key, a line without <c>=</c> or a key given twice is
/// an error naming the line. The credentials file of Knocknoc's older integration (tenant_id, client_id,
/// client_secret) is such a file.
/// </summary>
/// <remarks>
/// An error names the line and, at most, one of the tool's own key names: never a value, nor a key it does not know,
/// since a mistyped line (<c>client_secret VALUE=1</c>, a pasted secret) may hold the secret anywhere.
/// </remarks>
internal static class SettingsFile
{
    /// <summary>Reads and parses a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The settings it gives.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read or is malformed.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"the configuration file {path} cannot be read: {error.Message}", error);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the text of a file.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <returns>The settings it gives, keys in lower case as written.</returns>
    /// <exception cref="ConfigurationException">A line is malformed.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r').Trim();
            var where = $"{source}:{index + 1}";
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ConfigurationException($"{where}: expected key=value");
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (!IsKnown(key))
            {
                throw new ConfigurationException($"{where}: unknown key (the line is not shown, as it may hold a secret; known keys: {string.Join(", ", SettingKeys.All)}, acl.NAME)");
            }

            // Only the tool's own names are shown: an ACL's name is the user's text.
            var shown = SettingKeys.All.Contains(key, StringComparer.Ordinal) ? $"'{key}'" : "an acl.NAME key";
            if (value.Length == 0)
            {
                throw new ConfigurationException($"{where}: {shown} has no value");
            }

            if (!settings.TryAdd(key, value))
            {
                throw new ConfigurationException($"{where}: {shown} is given twice");
            }
        }

        return settings;
    }

    /// <summary>Whether <paramref name="key"/> is a key the file may set.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True for a known key or <c>acl.NAME</c> with a name usable as an ACL.</returns>
    public static bool IsKnown(string key) =>
        SettingKeys.All.Contains(key, StringComparer.Ordinal)
        || (key.StartsWith(SettingKeys.AclPrefix, StringComparison.Ordinal) && StateDirectory.IsSafeName(key[SettingKeys.AclPrefix.Length..]));
}
