using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary><c>knocknoc-entra revoke ADDRESS</c>: removes one address from the location.</summary>
internal static class RevokeCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var address = new Argument<string>("ADDRESS") { Description = "The address to remove, as it was granted." };
        return LocationCommand.Create(
            "revoke",
            "Removes an address from the named location (the sentinel 192.0.2.0/32 when nothing is left).",
            [address],
            parseResult => new QueuedChange(ChangeVerb.Del, parseResult.GetValue(address)!));
    }
}
