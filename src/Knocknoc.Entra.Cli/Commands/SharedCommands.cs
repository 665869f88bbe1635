using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Shared;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary><c>grant</c>, <c>revoke</c>, <c>flush</c> and <c>script</c> with <c>--json</c> and <c>postgres_connection</c>: what the change did to the shared table.</summary>
/// <param name="Command">The command.</param>
/// <param name="LocationId">The location's id (its key in the table).</param>
/// <param name="GrantId">The grant's id in the table, null for a flush.</param>
/// <param name="Range">The range granted or revoked, null for a flush.</param>
/// <param name="Changed">Whether the table changed.</param>
/// <param name="Ended">How many grants ended.</param>
/// <param name="StillGrantedTo">The grants that still hold a revoked range.</param>
/// <param name="WrittenByThisProcess">Whether this process was the location's writer.</param>
/// <param name="Expires">When a grant ends; null when it stays until revoked.</param>
internal sealed record SharedChangeReport(string Command, string LocationId, string? GrantId, string? Range, bool Changed, int Ended, IReadOnlyList<string> StillGrantedTo, bool WrittenByThisProcess, DateTimeOffset? Expires);

/// <summary>
/// What the editing commands do when <c>postgres_connection</c> is set: the change goes through the shared table (with
/// agent hosts and the tool on other machines) instead of the local queue, and the command returns once the
/// location's writer confirms Entra holds it.
/// </summary>
internal static class SharedCommands
{
    /// <summary>Makes one change through the shared table.</summary>
    /// <param name="settings">The settings, checked, with <see cref="CliSettings.PostgresConnection"/>.</param>
    /// <param name="locationId">The location's id.</param>
    /// <param name="change">The change.</param>
    /// <param name="network">Its network (null for a flush).</param>
    /// <param name="expires">When a grant ends, or null.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>What the change did.</returns>
    public static async Task<SharedOutcome> ChangeAsync(CliSettings settings, string locationId, QueuedChange change, Cidr? network, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        await using var location = await SharedLocation.OpenAsync(settings, locationId, cancellationToken).ConfigureAwait(false);
        return await SharedChange.RunAsync(location, change, network, expires, Warn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How a script line says who wrote the change.</summary>
    /// <param name="outcome">What the change did.</param>
    /// <returns>The words.</returns>
    public static string How(SharedOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return !outcome.Changed ? (outcome.GrantId is null ? "nothing granted in the shared table, nothing changed" : "not in the shared table, nothing changed")
            : outcome.ByThisProcess ? "written by this process as the location's writer"
            : "confirmed by the location's writer, another agent";
    }

    /// <summary><c>expire</c>: the writer applies the table's expiries; this waits until Entra holds the table's live grants.</summary>
    /// <param name="settings">The settings, checked, with <see cref="CliSettings.PostgresConnection"/>.</param>
    /// <param name="locationId">The location's id.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>A task that completes once the writer confirmed the table's latest version.</returns>
    public static async Task ExpireAsync(CliSettings settings, string locationId, CancellationToken cancellationToken)
    {
        await using var location = await SharedLocation.OpenAsync(settings, locationId, cancellationToken).ConfigureAwait(false);
        await location.CallAsync(agent => agent.CheckDriftAsync(cancellationToken)).ConfigureAwait(false);
        var console = CliConsole.ForStandardOutput();
        console.Line($"expire: location {locationId} (shared through {SettingKeys.PostgresConnection})");
        console.Note(location.Gate.IsWriter
            ? "this process is the location's writer: Entra holds the table's live grants, the expired ones removed."
            : "the location's writer, another agent, confirmed Entra holds the table's live grants; it removes expired ones when they fall due.");
    }

    /// <summary>Prints what a change did: one JSON object, or lines for a person.</summary>
    /// <param name="command">The command.</param>
    /// <param name="locationId">The location's id.</param>
    /// <param name="outcome">What the change did.</param>
    /// <param name="json">Whether to print JSON.</param>
    /// <param name="expires">When a grant ends, or null.</param>
    public static void Report(string command, string locationId, SharedOutcome outcome, bool json, DateTimeOffset? expires)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ReportLines(command, locationId, outcome, json, expires);
    }

    private static void ReportLines(string command, string locationId, SharedOutcome outcome, bool json, DateTimeOffset? expires)
    {
        if (json)
        {
            CliJson.Write(
                Console.Out,
                new SharedChangeReport(command, locationId, outcome.GrantId, outcome.Network?.ToString(), outcome.Changed, outcome.Ended, outcome.StillGrantedTo, outcome.ByThisProcess, expires),
                CliJsonContext.Default.SharedChangeReport);
            return;
        }

        var console = CliConsole.ForStandardOutput();
        console.Line($"{command}: location {locationId} (shared through {SettingKeys.PostgresConnection})");
        switch (outcome)
        {
            case { GrantId: null }:
                console.Warning($"  - every grant: {outcome.Ended} ended");
                break;
            case { Changed: true, Ended: 0 }:
                console.Success($"  + {outcome.Network}  (grant {outcome.GrantId})");
                break;
            case { Changed: true }:
                console.Warning($"  - {outcome.Network}  (grant {outcome.GrantId}){(outcome.StillGrantedTo.Count > 0 ? $"; still granted to {string.Join(", ", outcome.StillGrantedTo)}" : string.Empty)}");
                break;
            default:
                console.Note($"  {outcome.Network}: no grant {outcome.GrantId} in the shared table; nothing changed.");
                break;
        }

        console.Note(outcome.ByThisProcess
            ? "in Entra: written by this process as the location's writer."
            : "in Entra: confirmed by the location's writer, another agent.");
        if (expires is { } until)
        {
            console.Note($"expires {Locations.ExpiryText.Of(until)}: removed by the location's writer then.");
        }
    }

    private static void Warn(string message) => CliConsole.ForStandardError().Warning(message);
}
