using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra expire</c>: removes the addresses granted with <c>--expires</c>/<c>--for</c> whose time has
/// passed, in one PATCH (none when nothing is due, and then no request at all). Every command that changes the
/// location does the same first; this one is for a timer, so that an expiry bites when nothing else runs.
/// </summary>
internal static class ExpireCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var connection = new ConnectionOptions(withLocation: true);
        var json = CommonOptions.Json();
        var command = new Command(
            "expire",
            "Removes the addresses granted with --expires or --for whose time has passed (run it from a systemd timer or cron; grant, revoke, flush and script do it too).");
        connection.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = connection.Load(parseResult);
            settings.Check(needLocation: true);
            var locationId = await LocationCommand.LocationIdAsync(settings, cancellationToken).ConfigureAwait(false);
            if (settings.PostgresConnection is not null)
            {
                await SharedCommands.ExpireAsync(settings, locationId, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var state = StateDirectory.Open(settings.StateDirectory, StateSafety.ForThisSystem);
            var expired = await ExpireAsync(settings, ChangeQueue.ForLocation(state, locationId), locationId, cancellationToken).ConfigureAwait(false);
            Report(locationId, expired, parseResult.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>>> ExpireAsync(CliSettings settings, ChangeQueue queue, string locationId, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var deadline = time.GetUtcNow() + ChangeRunner.Patience;
        while (true)
        {
            using (var drainLock = queue.TryTakeDrainLock())
            {
                if (drainLock is not null)
                {
                    using var drain = new ChangeDrain(settings, queue, new LocationTarget(locationId, null), time, Warn, () => ConnectionOptions.CreateClient(settings))
                    {
                        ReportsExpiries = false,
                    };
                    await drain.ExpireAsync(cancellationToken).ConfigureAwait(false);
                    return drain.Failure is { } failure ? throw failure : drain.Expired;
                }
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new EntraException(
                    EntraErrorCode.GrantStoreLocked,
                    $"another drain of {queue.Directory} held it for {ChangeRunner.Patience.TotalMinutes} minutes; nothing expired was removed by this run");
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Report(string locationId, IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>> expired, bool json)
    {
        if (json)
        {
            CliJson.Write(Console.Out, [.. expired.Select(entry => new ExpiredAddress(entry.Key.ToString(), entry.Value))], CliJsonContext.Default.ListExpiredAddress);
            return;
        }

        var console = CliConsole.ForStandardOutput();
        console.Line($"expire: location {locationId}");
        foreach (var (network, expires) in expired)
        {
            console.Warning($"  - {network}  (expired {ExpiryText.Of(expires)})");
        }

        console.Note(expired.Count == 0 ? "nothing has expired: nothing written." : "removed.");
    }

    private static void Warn(string message) => CliConsole.ForStandardError().Warning(message);
}
