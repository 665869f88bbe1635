using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Script;
using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra script add|del ACL IP</c> and <c>script flush ACL</c>: Knocknoc's script backend contract (exit 0
/// once the change is in Entra, non-zero with the ENTRA code otherwise, and then the change never takes effect). An
/// ACL is the location <c>acl.NAME</c> names in the configuration, else the one called <c>name_prefix + ACL</c>;
/// nothing without the prefix is ever touched.
/// </summary>
internal static class ScriptCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create() => new("script", "Knocknoc's script backend: add, del and flush an ACL's addresses; concurrent calls share one write.")
    {
        Change(ChangeVerb.Add, "Adds IP to the ACL's location."),
        Change(ChangeVerb.Del, "Removes IP from the ACL's location."),
        Change(ChangeVerb.Flush, "Removes every address from the ACL's location (the sentinel remains)."),
    };

    private static Command Change(ChangeVerb verb, string description)
    {
        var acl = new Argument<string>("ACL") { Description = "The ACL: acl.ACL in the configuration, else the location named name_prefix + ACL." };
        var address = new Argument<string>("IP") { Description = "A bare public IPv4 or IPv6 address." };
        var connection = new ConnectionOptions(withLocation: false);
        var name = new QueuedChange(verb, null).VerbText;
        var command = new Command(name, description) { acl };
        if (verb != ChangeVerb.Flush)
        {
            command.Arguments.Add(address);
        }

        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var aclName = parseResult.GetValue(acl)!;
            if (!ScriptBackend.IsValidAcl(aclName))
            {
                throw UsageException.For("ACL", "not an ACL name: letters, digits, '_', '-' and '.', not starting with '.'");
            }

            var settings = connection.Load(parseResult);
            var change = new QueuedChange(verb, verb == ChangeVerb.Flush ? null : parseResult.GetValue(address));

            // The address is checked before anything is queued or sent; the settings before anything is queued.
            var network = change.Network(settings.AddressPolicy);
            settings.Check(needLocation: false);
            if (settings.PostgresConnection is not null)
            {
                using var client = ConnectionOptions.CreateClient(settings);
                var locationId = await ScriptBackend.Target(settings, aclName).ResolveAsync(client, cancellationToken).ConfigureAwait(false);
                var shared = await SharedCommands.ChangeAsync(settings, locationId, change, network, null, cancellationToken).ConfigureAwait(false);
                CliConsole.ForStandardOutput().Line($"script {name} {aclName}{(network is { } granted ? $" {granted}" : string.Empty)}: done ({SharedCommands.How(shared)}).");
                return ExitCodes.Success;
            }

            var state = StateDirectory.Open(settings.StateDirectory, StateSafety.ForThisSystem);
            var queue = ChangeQueue.ForAcl(state, aclName);
            var (outcome, patches) = await new ChangeRunner(settings, TimeProvider.System)
                .RunAsync(queue, ScriptBackend.Target(settings, aclName), change, cancellationToken)
                .ConfigureAwait(false);
            var how = patches > 0 ? $"{patches} PATCH by this process"
                : outcome.Written ? "written by another process"
                : "already so, nothing written";
            CliConsole.ForStandardOutput().Line($"script {name} {aclName}{(network is { } n ? $" {n}" : string.Empty)}: done ({how}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
