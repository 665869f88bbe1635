using System.CommandLine;
using System.Globalization;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra locations</c>: the tenant's IP named locations with how many ranges each holds and whether the
/// name guard lets this tool change it; countries locations are left out. Reads only.
/// </summary>
internal static class LocationsCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var connection = new ConnectionOptions(withLocation: false);
        var json = CommonOptions.Json();
        var command = new Command("locations", "Lists the tenant's IP named locations with their range counts, and which ones the name guard lets this tool change (reads only).");
        connection.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = connection.Load(parseResult);
            settings.Require(needLocation: false);
            using var client = ConnectionOptions.CreateClient(settings);
            var guard = LocationNameGuard.Prefix(settings.NamePrefix);
            var locations = (await client.ListAsync(cancellationToken).ConfigureAwait(false))
                .OfType<IpNamedLocation>()
                .OrderBy(location => location.DisplayName, StringComparer.Ordinal)
                .Select(location => new LocationSummary(location.Id, location.DisplayName, location.IpRanges.Length, location.ModifiedDateTime, guard.Allows(location.DisplayName)))
                .ToList();
            if (parseResult.GetValue(json))
            {
                CliJson.Write(Console.Out, locations, CliJsonContext.Default.ListLocationSummary);
                return ExitCodes.Success;
            }

            var console = CliConsole.ForStandardOutput();
            console.Line($"{locations.Count} IP named location(s); name guard: {guard}");
            var table = Tables.Create("name", "id", "ranges", "modified", "managed");
            foreach (var location in locations)
            {
                table.Row(
                    location.DisplayName,
                    location.Id,
                    string.Create(CultureInfo.InvariantCulture, $"{location.Ranges} of {GraphLimits.MaxIpRanges}"),
                    location.ModifiedDateTime?.ToString("u", CultureInfo.InvariantCulture) ?? "(unknown)",
                    location.Managed ? "yes" : "no: the name guard protects it");
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
