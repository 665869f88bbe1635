using System.CommandLine;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Script;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra script add|del ACL IP</c> and <c>script flush ACL</c>: Knocknoc's script backend contract (exit 0
/// on success, non-zero with the ENTRA code otherwise). An ACL is the location <c>acl.NAME</c> names in the
/// configuration, else the one called <c>name_prefix + ACL</c>; nothing without the prefix is ever touched.
/// </summary>
internal static class ScriptCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create() => new("script", "Knocknoc's script backend: add, del and flush an ACL's addresses; concurrent calls share one write.")
    {
        Change("add", "Adds IP to the ACL's location.", withAddress: true),
        Change("del", "Removes IP from the ACL's location.", withAddress: true),
        Change("flush", "Removes every address from the ACL's location (the sentinel remains).", withAddress: false),
    };

    private static Command Change(string verb, string description, bool withAddress)
    {
        var acl = new Argument<string>("ACL") { Description = "The ACL: acl.ACL in the configuration, else the location named name_prefix + ACL." };
        var address = new Argument<string>("IP") { Description = "A bare public IPv4 or IPv6 address." };
        var connection = new ConnectionOptions(withLocation: false);
        var command = new Command(verb, description) { acl };
        if (withAddress)
        {
            command.Arguments.Add(address);
        }

        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(acl)!;
            if (!ScriptBackend.IsValidAcl(name))
            {
                throw new ConfigurationException($"'{name}' is not an ACL name: letters, digits, '_', '-' and '.', not starting with '.'");
            }

            Cidr? network = withAddress ? CliAddressPolicy.Value.GetGrantNetwork(parseResult.GetValue(address)!) : null;
            var settings = connection.Load(parseResult);
            settings.Require(needLocation: false);
            var patches = await new ScriptBackend(settings, name, TimeProvider.System).RunAsync(verb, network, cancellationToken).ConfigureAwait(false);
            CliConsole.ForStandardOutput().Line($"script {verb} {name}{(network is { } n ? $" {n}" : string.Empty)}: done ({(patches > 0 ? $"{patches} PATCH by this process" : "applied by this or another process, no PATCH of its own")}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
