using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Knocknoc.Entra.Cli.Demo;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra demo</c>: the SDK's main job on its embedded emulator, no tenant needed. A gate keeps the
/// location <c>knocknoc_demo</c> through a scripted working day on an emulated clock, shown step by step. With
/// <c>--postgres</c>, two agents share one location through that database instead (<see cref="SharedDemo"/>).
/// </summary>
internal static class DemoCommand
{
    /// <summary>When the emulated day starts.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Instead: two agents on one location share their grants through this PostgreSQL database (a connection string; give the password in PGPASSWORD or ~/.pgpass, not here): a grant through each, the writer killed, the other taking over.",
            HelpName = "CONNECTION",
        };
        var command = new Command("demo", "Plays a working day against the embedded Entra emulator (no tenant needed): sign-ins, a shared NAT address, an address change, expiries, a burst against the 1 request/s limit and a Graph outage.")
        {
            postgres,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            parseResult.GetValue(postgres) is { } connection
                ? await SharedDemo.RunAsync(CliConsole.ForStandardOutput(), connection, cancellationToken).ConfigureAwait(false) == 0 ? ExitCodes.Success : ExitCodes.Failure
                : await RunAsync(CliConsole.ForStandardOutput(), cancellationToken).ConfigureAwait(false));
        return command;
    }

    /// <summary>Plays the demo.</summary>
    /// <param name="console">Where it is told.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <returns>The exit code: 0 when every step did what it showed.</returns>
    public static async Task<int> RunAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        console.Line($"knocknoc-entra demo: a gate keeps the IP named location '{DemoWorld.LocationName}' in step with a day of sign-ins.");
        console.Note("Everything runs in this process against the Entra emulator, on an emulated clock: rate-limit pacing and retries take no real time.");

        await using var world = DemoWorld.Create(Morning);
        var narrator = new DemoNarrator(console, world);
        var day = new DemoDay(world, narrator);
        await day.PlayAsync(cancellationToken).ConfigureAwait(false);

        var throttled = world.Throttled;
        console.Line();
        console.Line(
            $"Graph saw {world.GraphRequests} requests: {world.Writes} writes, {world.RefusedWrites} write tries refused during the outages and retried, {throttled} throttled (429).");
        console.Line(
            $"Emulated {NarratedSpan(world.Now - Morning)} in {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s of real time.");
        var limit = throttled == 0 ? "1 request/s limit held" : $"{throttled} requests throttled";
        var summary = $"demo done: {day.Grants} grants, {world.Writes} writes ({limit}), {narrator.Errors} errors";
        if (narrator.Errors == 0)
        {
            console.Success(summary);
            return ExitCodes.Success;
        }

        console.Failure(summary);
        return ExitCodes.Failure;
    }

    private static string NarratedSpan(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes:00} min" : $"{span.TotalMinutes:0} min";
}
