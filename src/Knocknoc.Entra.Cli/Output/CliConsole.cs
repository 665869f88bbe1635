using Spectre.Console;
using Spectre.Console.Rendering;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// Where a command writes for a person: plain lines, headings, notes and tables, coloured only when
/// <see cref="ColourPolicy"/> allows. Output stays readable without colour (logs, pipes, tests); dynamic text is
/// always escaped, never read as markup.
/// </summary>
internal sealed class CliConsole
{
    // Tables only: lines are never wrapped by the tool. A terminal uses its own width.
    private const int RedirectedWidth = 160;

    private readonly IAnsiConsole _console;
    private readonly TextWriter _writer;

    private CliConsole(IAnsiConsole console, TextWriter writer, bool colour)
    {
        _console = console;
        _writer = writer;
        UsesColour = colour;
    }

    /// <summary>Gets a value indicating whether output is coloured.</summary>
    public bool UsesColour { get; }

    /// <summary>Creates the console for standard output.</summary>
    /// <returns>The console.</returns>
    public static CliConsole ForStandardOutput() => Create(Console.Out, ColourPolicy.ForStandardOutput(), isTerminal: !Console.IsOutputRedirected);

    /// <summary>Creates the console for standard error (diagnostics, failures).</summary>
    /// <returns>The console.</returns>
    public static CliConsole ForStandardError() =>
        Create(Console.Error, ColourPolicy.Decide(Console.IsErrorRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM")), isTerminal: !Console.IsErrorRedirected);

    /// <summary>Creates a console over any writer.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="colour">Whether to colour.</param>
    /// <param name="isTerminal">Whether the writer is a terminal (its width is then the terminal's).</param>
    /// <returns>The console.</returns>
    public static CliConsole Create(TextWriter writer, bool colour, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return new CliConsole(console, writer, colour);
    }

    /// <summary>Writes a line of plain text.</summary>
    /// <param name="text">The text.</param>
    public void Line(string text = "") => _writer.WriteLine(TerminalText.Safe(text));

    /// <summary>Writes a heading: a blank line, then the text in bold.</summary>
    /// <param name="text">The heading.</param>
    public void Heading(string text)
    {
        Line();
        Styled(text, "bold");
    }

    /// <summary>Writes a secondary line (dim on a terminal).</summary>
    /// <param name="text">The text.</param>
    public void Note(string text) => Styled(text, "grey");

    /// <summary>Writes a line that reports something that went well (green on a terminal).</summary>
    /// <param name="text">The text.</param>
    public void Success(string text) => Styled(text, "green");

    /// <summary>Writes a line that reports something to watch (yellow on a terminal).</summary>
    /// <param name="text">The text.</param>
    public void Warning(string text) => Styled(text, "yellow");

    /// <summary>Writes a line that reports a failure (red on a terminal).</summary>
    /// <param name="text">The text.</param>
    public void Failure(string text) => Styled(text, "red");

    /// <summary>Writes facts as aligned <c>name   value</c> lines, without a border: easy to read and to copy from.</summary>
    /// <param name="facts">The facts, in order.</param>
    public void Facts(IReadOnlyList<(string Name, string Value)> facts)
    {
        var width = facts.Count == 0 ? 0 : facts.Max(fact => fact.Name.Length);
        foreach (var (name, value) in facts)
        {
            Line($"  {name.PadRight(width)}   {value}");
        }
    }

    /// <summary>Writes a table.</summary>
    /// <param name="table">The table, built with <see cref="Tables"/>.</param>
    public void Write(IRenderable table) => _console.Write(table);

    private void Styled(string text, string style)
    {
        text = TerminalText.Safe(text);
        if (UsesColour)
        {
            _console.Write(new Markup($"[{style}]{Markup.Escape(text)}[/]{Environment.NewLine}"));
        }
        else
        {
            // Plain text as it is: a log or a pipe gets whole lines, never wrapped at a guessed width.
            _writer.WriteLine(text);
        }
    }
}
