using System.CommandLine;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary><c>knocknoc-entra show</c>: the location's ranges, as a table or one JSON object.</summary>
internal static class ShowCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var connection = new ConnectionOptions(withLocation: true);
        var json = CommonOptions.Json();
        var command = new Command("show", "Shows the ranges the named location holds.");
        connection.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = connection.Load(parseResult);
            settings.Require(needLocation: true);
            using var client = ConnectionOptions.CreateClient(settings);
            var location = await LocationEditor.ReadAsync(client, settings.LocationId, settings.LocationName, settings.NamePrefix, cancellationToken).ConfigureAwait(false);
            var ranges = location.IpRanges.Select(range => range.ToString()).ToList();
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, new ShowReport(location.Id, location.DisplayName, location.ModifiedDateTime, ranges, GraphLimits.MaxIpRanges), CliJsonContext.Default.ShowReport);
                return ExitCodes.Success;
            }

            var console = CliConsole.ForStandardOutput();
            console.Line($"location '{location.DisplayName}' ({location.Id}), modified {location.ModifiedDateTime?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)"}");
            var table = Tables.Create("range", "note");
            foreach (var range in location.IpRanges)
            {
                table.Row(range.ToString(), range == LocationEditor.Sentinel ? "sentinel: nothing granted" : string.Empty);
            }

            console.Write(table);
            console.Note($"{ranges.Count} of {GraphLimits.MaxIpRanges} ranges used.");
            return ExitCodes.Success;
        });
        return command;
    }
}
