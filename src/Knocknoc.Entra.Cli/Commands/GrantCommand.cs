using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary><c>knocknoc-entra grant ADDRESS</c>: adds one address (a public host) to the location.</summary>
internal static class GrantCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var address = new Argument<string>("ADDRESS") { Description = "A bare public IPv4 or IPv6 address (ENTRA059 otherwise)." };
        return LocationCommand.Create(
            "grant",
            "Adds an address to the named location (one read, one PATCH shared with concurrent changes; none when it is already held), for good or until --expires/--for.",
            [address],
            parseResult => new QueuedChange(ChangeVerb.Add, parseResult.GetValue(address)!),
            new ExpiryOptions());
    }
}
