using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// What <c>grant</c>, <c>revoke</c> and <c>flush</c> share: the connection options, <c>--dry-run</c> and
/// <c>--json</c>, and the same report. A change is queued for the location (<c>state_dir/location/ID/</c>) and
/// applied by one drain at a time, through the location's lock and journal that the script backend shares:
/// concurrent commands all land, in as few PATCHes as they can share.
/// </summary>
internal static class LocationCommand
{
    /// <summary>Creates a command that changes the location.</summary>
    /// <param name="name">The command's name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="change">Builds the change from the parsed command line.</param>
    /// <param name="expiry">The expiry options (<c>grant</c> only), or null.</param>
    /// <returns>The command.</returns>
    public static Command Create(string name, string description, IReadOnlyList<Argument> arguments, Func<ParseResult, QueuedChange> change, ExpiryOptions? expiry = null)
    {
        var connection = new ConnectionOptions(withLocation: true);
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the ranges that would be added and removed; send nothing." };
        var json = CommonOptions.Json();
        var command = new Command(name, description);
        foreach (var argument in arguments)
        {
            command.Arguments.Add(argument);
        }

        connection.AddTo(command);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        expiry?.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // The address is checked before anything else: a refused one never costs a sign-in.
            var settings = connection.Load(parseResult);
            var queued = change(parseResult);
            var item = new QueuedItem(string.Empty, queued, queued.Network(settings.AddressPolicy));
            var expires = expiry?.Resolve(parseResult, TimeProvider.System.GetUtcNow());
            settings.Check(needLocation: true);
            if (settings.PostgresConnection is not null)
            {
                if (parseResult.GetValue(dryRun))
                {
                    throw UsageException.For("--dry-run", $"not with {SettingKeys.PostgresConnection}: the shared table, not this run, decides what the location holds");
                }

                var sharedId = await LocationIdAsync(settings, cancellationToken).ConfigureAwait(false);
                var outcome = await SharedCommands.ChangeAsync(settings, sharedId, queued, item.Network, expires, cancellationToken).ConfigureAwait(false);
                SharedCommands.Report(name, sharedId, outcome, parseResult.GetValue(json), expires);
                return ExitCodes.Success;
            }

            ChangeApplied result;
            if (parseResult.GetValue(dryRun))
            {
                using var client = ConnectionOptions.CreateClient(settings);
                var preview = await LocationEditor.PreviewAsync(client, settings, item.ApplyTo, cancellationToken).ConfigureAwait(false);
                result = new ChangeApplied(preview.Location.Id, preview.Location.DisplayName, false, 1, preview.Diff.Added, preview.Diff.Removed, preview.Desired);
            }
            else
            {
                var locationId = await LocationIdAsync(settings, cancellationToken).ConfigureAwait(false);
                var state = StateDirectory.Open(settings.StateDirectory, StateSafety.ForThisSystem);
                var queue = ChangeQueue.ForLocation(state, locationId);
                var keeper = new ExpiryKeeper(LocationState.Open(state, locationId), settings.AddressPolicy, TimeProvider.System, message => CliConsole.ForStandardError().Warning(message));
                await keeper.BeforeAsync(queued, item.Network, expires, cancellationToken).ConfigureAwait(false);
                ChangeApplied? applied = null;
                try
                {
                    (applied, _) = await new ChangeRunner(settings, TimeProvider.System)
                        .RunAsync(queue, new LocationTarget(locationId, null), queued, cancellationToken)
                        .ConfigureAwait(false);
                    result = applied;
                }
                finally
                {
                    // Settled even when the change failed or was stopped: a failed grant's expiry is taken back.
                    var kept = await keeper.AfterAsync(queued, item.Network, expires, applied, CancellationToken.None).ConfigureAwait(false);
                    expires = applied is null ? expires : kept;
                }
            }

            Report(name, result, parseResult.GetValue(dryRun), parseResult.GetValue(json), expires);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The configured location's id: as given, or found by its exact name (one read).</summary>
    /// <param name="settings">The settings (checked, with a location).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The id.</returns>
    public static async Task<string> LocationIdAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.LocationId is { } id)
        {
            return id;
        }

        using var client = ConnectionOptions.CreateClient(settings);
        return await new LocationTarget(null, settings.LocationName).ResolveAsync(client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Prints what a change did: one JSON object, or lines for a person.</summary>
    /// <param name="name">The command.</param>
    /// <param name="result">The change.</param>
    /// <param name="dryRun">Whether it was a dry run.</param>
    /// <param name="json">Whether to print JSON.</param>
    /// <param name="expires">When the granted address is removed again, or null.</param>
    public static void Report(string name, ChangeApplied result, bool dryRun, bool json, DateTimeOffset? expires)
    {
        ArgumentNullException.ThrowIfNull(result);
        var added = Texts(result.Added);
        var removed = Texts(result.Removed);
        if (json)
        {
            CliJson.Write(
                Console.Out,
                new ChangeReport(name, result.LocationId, result.DisplayName, dryRun, result.Written, added, removed, Texts(result.Held), expires),
                CliJsonContext.Default.ChangeReport);
            return;
        }

        var console = CliConsole.ForStandardOutput();
        console.Line($"{name}: location '{result.DisplayName}' ({result.LocationId})");
        foreach (var range in added)
        {
            console.Success($"  + {range}{(dryRun ? "  (would add)" : string.Empty)}");
        }

        foreach (var range in removed)
        {
            console.Warning($"  - {range}{(dryRun ? "  (would remove)" : string.Empty)}");
        }

        if (dryRun)
        {
            console.Note(added.Length + removed.Length == 0 ? "dry run: no change; nothing sent." : "dry run: nothing sent.");
        }
        else if (!result.Written)
        {
            console.Note("no change: nothing written.");
        }
        else
        {
            console.Note(result.Together == 1 ? "written (one PATCH)." : $"written (one PATCH carrying {result.Together} queued changes).");
        }

        if (expires is { } until)
        {
            console.Note($"expires {ExpiryText.Of(until)}: removed by the first run of this tool that changes the location after then, or by 'knocknoc-entra expire'.");
        }
    }

    private static string[] Texts(CidrSet set) => [.. set.ToCidrs().Select(cidr => cidr.ToString())];
}
