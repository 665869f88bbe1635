using System.CommandLine;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>Options several commands share, so each reads and behaves the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>Creates the <c>--json</c> option: the result as one JSON object on standard output, for scripts.</summary>
    /// <returns>A new option (each command adds its own instance).</returns>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the result as one JSON object on standard output (for scripts), instead of text for a person.",
    };
}
