using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary><c>knocknoc-entra flush</c>: removes every address, leaving the sentinel.</summary>
internal static class FlushCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create() => LocationCommand.Create(
        "flush",
        "Removes every range from the named location, leaving only the sentinel 192.0.2.0/32 (Graph refuses an empty location).",
        [],
        _ => new QueuedChange(ChangeVerb.Flush, null));
}
