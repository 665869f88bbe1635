using Spectre.Console;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>The tool's tables: one look for every command (a light border, headers in bold).</summary>
internal static class Tables
{
    /// <summary>A table with the given column headers.</summary>
    /// <param name="headers">The headers.</param>
    /// <returns>The table, ready for rows.</returns>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")));
        }

        return table;
    }

    /// <summary>Adds a row of plain (never markup) cells.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cells">The cells' text.</param>
    /// <returns>The table.</returns>
    public static Table Row(this Table table, params string[] cells)
    {
        table.AddRow(cells.Select(cell => new Text(TerminalText.Safe(cell))).ToArray());
        return table;
    }
}
