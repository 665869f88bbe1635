using System.Text.RegularExpressions;

namespace Knocknoc.Entra.Tests;

/// <summary>
/// The rule an assembly's folders follow (compiled into every test project): each uses only folders below it in a
/// declared order, and docs/architecture.md draws exactly the edges the code has, in that order, as lines
/// <c>Folder -> Lower, Lower</c> in a code block after <c>&lt;!-- folders: ASSEMBLY --&gt;</c>.
/// </summary>
internal static partial class LayerOrder
{
    /// <summary>The measured edges that point up the order or sideways, and the folders the order does not place.</summary>
    public static IEnumerable<string> Violations(IEnumerable<string> edges, IReadOnlyList<string> order)
    {
        foreach (var edge in edges)
        {
            var (from, to) = Split(edge);
            var (above, below) = (IndexOf(order, from), IndexOf(order, to));
            if (above < 0 || below < 0)
            {
                yield return $"{edge}: {(above < 0 ? from : to)} has no place in the layer order";
            }
            else if (above >= below)
            {
                yield return $"{edge}: a back edge ({to} sits above {from})";
            }
        }
    }

    /// <summary>The diagram's lines, top to bottom, as the code's edges and the order give them.</summary>
    public static string Render(IEnumerable<string> edges, IReadOnlyList<string> order)
    {
        var width = order.Max(f => f.Length);
        var uses = edges.Select(Split).ToLookup(e => e.From, e => e.To);
        return string.Join('\n', order.Select(folder =>
        {
            var below = uses[folder].OrderBy(to => IndexOf(order, to)).ToList();
            return below.Count == 0 ? folder : $"{folder.PadRight(width)} -> {string.Join(", ", below)}";
        }));
    }

    /// <summary>The diagram of <paramref name="assembly"/> as docs/architecture.md draws it, whitespace normalised; empty when it draws none.</summary>
    public static string Documented(string assembly)
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "architecture.md")).ReplaceLineEndings("\n");
        var marker = $"<!-- folders: {assembly} -->\n```\n";
        var start = markdown.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += marker.Length;
        var block = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        return Normalise(block);
    }

    /// <summary>Collapses runs of spaces, so the diagram may align its arrows as it likes.</summary>
    public static string Normalise(string diagram) =>
        string.Join('\n', diagram.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => Spaces().Replace(line, " ")));

    private static (string From, string To) Split(string edge) => edge.Split(" -> ") is [var from, var to] ? (from, to) : throw new FormatException(edge);

    private static int IndexOf(IReadOnlyList<string> order, string folder)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == folder)
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
