using System.CommandLine;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// What <c>grant</c>, <c>revoke</c> and <c>flush</c> share: the connection options, <c>--dry-run</c> and
/// <c>--json</c>, one fresh read, one PATCH at most, and the same report.
/// </summary>
internal static class LocationCommand
{
    /// <summary>Creates a command that changes the location.</summary>
    /// <param name="name">The command's name.</param>
    /// <param name="description">Its description.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="change">Builds the change from the parsed command line (validating it first).</param>
    /// <returns>The command.</returns>
    public static Command Create(string name, string description, IReadOnlyList<Argument> arguments, Func<ParseResult, Func<CidrSet, CidrSet>> change)
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
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // The address is checked before anything else: a refused one never costs a sign-in.
            var apply = change(parseResult);
            var settings = connection.Load(parseResult);
            settings.Require(needLocation: true);
            using var client = ConnectionOptions.CreateClient(settings);
            var result = await LocationEditor.ChangeAsync(client, settings, apply, parseResult.GetValue(dryRun), cancellationToken).ConfigureAwait(false);
            Report(name, result, parseResult.GetValue(dryRun), parseResult.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints what a change did: one JSON object, or lines for a person.</summary>
    /// <param name="name">The command.</param>
    /// <param name="result">The change.</param>
    /// <param name="dryRun">Whether it was a dry run.</param>
    /// <param name="json">Whether to print JSON.</param>
    public static void Report(string name, LocationChange result, bool dryRun, bool json)
    {
        ArgumentNullException.ThrowIfNull(result);
        var added = Texts(result.Diff.Added);
        var removed = Texts(result.Diff.Removed);
        if (json)
        {
            CliJson.Write(
                Console.Out,
                new ChangeReport(name, result.Location.Id, result.Location.DisplayName, dryRun, result.Written, added, removed, Texts(result.Desired)),
                CliJsonContext.Default.ChangeReport);
            return;
        }

        var console = CliConsole.ForStandardOutput();
        console.Line($"{name}: location '{result.Location.DisplayName}' ({result.Location.Id})");
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
            console.Note(result.Diff.IsEmpty ? "dry run: no change; nothing sent." : "dry run: nothing sent.");
        }
        else
        {
            console.Note(result.Written ? "written (one PATCH)." : "no change: nothing written.");
        }
    }

    private static string[] Texts(CidrSet set) => [.. set.ToCidrs().Select(cidr => cidr.ToString())];
}
