using System.Text.RegularExpressions;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// The code the docs show, read from where it is compiled: <c>#region snippet:NAME</c> ... <c>#endregion</c> in
/// <c>docs/snippets/</c> and the test projects. A snippet in several regions is their parts joined by a blank line
/// (the usings at the top of a file, then a method's body), each part without its common indentation.
/// </summary>
internal static partial class Snippets
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Found = new(Read);

    public static IReadOnlyDictionary<string, string> All => Found.Value;

    /// <summary>The C# blocks of a markdown file, each with the snippet name its marker gives (null without one).</summary>
    public static IEnumerable<(int Line, string? Name, string Code)> BlocksOf(string markdown)
    {
        var lines = Normalize(markdown).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var marker = i > 0 ? MarkerPattern().Match(lines[i - 1]) : Match.Empty;
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            var code = string.Join('\n', lines[(i + 1)..(end < 0 ? lines.Length : end)]);
            yield return (i + 1, marker.Success ? marker.Groups[1].Value : null, code);
            i = end < 0 ? lines.Length : end;
        }
    }

    public static IEnumerable<string> MarkdownFiles()
    {
        var root = Repository.Root();
        yield return Path.Combine(root, "README.md");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return file;
        }
    }

    /// <summary>Runs a snippet with <see cref="Console.Out"/> captured; the lines it printed.</summary>
    public static async Task<string[]> PrintedByAsync(Func<Task> snippet)
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            await snippet();
        }
        finally
        {
            Console.SetOut(console);
        }

        return Lines(output.ToString());
    }

    public static string[] Lines(string printed) =>
        printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts that the snippet shows each printed line as a <c>// line</c> comment.</summary>
    public static void AssertShownAsOutput(string snippet, IEnumerable<string> printed)
    {
        foreach (var line in printed)
        {
            Assert.That(All[snippet], Does.Contain($"// {line}"), $"snippet '{snippet}' shows no `// {line}`");
        }
    }

    public static string Normalize(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim('\n');

    private static Dictionary<string, string> Read()
    {
        var root = Repository.Root();
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(Path.Combine(root, "docs", "snippets"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources.Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var start = RegionPattern().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                var end = Array.FindIndex(lines, i + 1, l => l.TrimStart().StartsWith("#region", StringComparison.Ordinal) || l.TrimStart().StartsWith("#endregion", StringComparison.Ordinal));
                if (end < 0 || !lines[end].TrimStart().StartsWith("#endregion", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{file}:{i + 1}: snippet '{start.Groups[1].Value}' has no #endregion before the next region");
                }

                var name = start.Groups[1].Value;
                if (!parts.TryGetValue(name, out var list))
                {
                    parts[name] = list = [];
                }

                list.Add(Dedent(lines[(i + 1)..end]));
                i = end;
            }
        }

        return parts.ToDictionary(p => p.Key, p => Normalize(string.Join("\n\n", p.Value)), StringComparer.Ordinal);
    }

    private static string Dedent(string[] lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [GeneratedRegex(@"^\s*#region snippet:([a-z0-9-]+)\s*$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^<!-- snippet: ([a-z0-9-]+) -->\s*$")]
    private static partial Regex MarkerPattern();
}
