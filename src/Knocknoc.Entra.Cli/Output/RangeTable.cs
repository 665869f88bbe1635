using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Spectre.Console;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>A location's ranges as a table, each with the grants it covers: what Entra holds, readable at a glance.</summary>
internal static class RangeTable
{
    private const int NamesShown = 3;

    /// <summary>Builds the table.</summary>
    /// <param name="ranges">The ranges as the location holds them (Graph's <c>cidrAddress</c> values).</param>
    /// <param name="grants">The grants whose holders are named beside their range; empty to leave that column out.</param>
    /// <param name="sentinel">The sentinel (written when nothing is granted), labelled as such; null when there is none.</param>
    /// <returns>The table.</returns>
    public static Table Create(IReadOnlyList<string> ranges, IReadOnlyList<Grant> grants, Cidr? sentinel)
    {
        var table = Tables.Create("range", "held by");
        foreach (var text in ranges)
        {
            table.Row(text, HeldBy(text, grants, sentinel));
        }

        if (ranges.Count == 0)
        {
            table.Row("(none)", string.Empty);
        }

        return table;
    }

    /// <summary>Who holds a range: the grants it covers, the sentinel, or nobody the gate knows.</summary>
    /// <param name="text">The range as written.</param>
    /// <param name="grants">The grants.</param>
    /// <param name="sentinel">The sentinel, if any.</param>
    /// <returns>A short description.</returns>
    public static string HeldBy(string text, IReadOnlyList<Grant> grants, Cidr? sentinel)
    {
        if (!Cidr.TryParseLenient(text, out var range, out _))
        {
            return "(not a CIDR)";
        }

        if (sentinel is { } marker && range == marker)
        {
            return "sentinel: nothing granted";
        }

        var holders = grants.Where(grant => range.Contains(grant.Network)).Select(grant => grant.Id).Order(StringComparer.Ordinal).ToList();
        return holders.Count switch
        {
            0 => "(no grant of this gate)",
            <= NamesShown => string.Join(", ", holders),
            _ => $"{string.Join(", ", holders.Take(NamesShown))} and {holders.Count - NamesShown} more",
        };
    }
}
