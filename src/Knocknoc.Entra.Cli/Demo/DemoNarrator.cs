using System.Globalization;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Spectre.Console;

namespace Knocknoc.Entra.Cli.Demo;

/// <summary>Tells the demo as it plays: each step's time and title, what it did, and what Entra and the gate hold after it.</summary>
internal sealed class DemoNarrator(CliConsole console, DemoWorld world)
{
    /// <summary>Gets how many expectations failed: the demo checks what it shows.</summary>
    public int Errors { get; private set; }

    /// <summary>Starts a step.</summary>
    /// <param name="title">What happens.</param>
    public void Step(string title) => console.Heading($"{Clock(world.Now)}  {title}");

    /// <summary>Says what the step did.</summary>
    /// <param name="text">The text.</param>
    public void Did(string text) => console.Line("  " + text);

    /// <summary>Says what went wrong on purpose (an outage's failure, a refused address).</summary>
    /// <param name="text">The text.</param>
    public void Refused(string text) => console.Warning("  " + text);

    /// <summary>Shows what Entra holds, what is pending, the writes so far and the emulated clock.</summary>
    public void State()
    {
        var state = world.Gate.GetState();
        console.Write(new Padder(RangeTable.Create(world.EntraRanges, state.Grants, DemoWorld.Sentinel)).Padding(2, 0, 0, 0));
        var refused = world.RefusedWrites;
        console.Note(
            $"  pending: {Pending()} · writes: {world.Writes} PATCH{(refused > 0 ? $" (+{refused} refused)" : string.Empty)}"
            + $" · Graph requests: {world.GraphRequests} · clock {Clock(world.Now)}");
    }

    /// <summary>Checks what the step should have done; a failed check is reported and fails the demo.</summary>
    /// <param name="holds">Whether it holds.</param>
    /// <param name="what">What was expected, in words.</param>
    public void Expect(bool holds, string what)
    {
        if (!holds)
        {
            Errors++;
            console.Failure($"  UNEXPECTED: {what} did not hold");
        }
    }

    /// <summary>What the gate has yet to write, as <c>+added −removed</c>, or why it does not know.</summary>
    /// <returns>The text.</returns>
    public string Pending()
    {
        var state = world.Gate.GetState();
        if (state.Pending is { } pending)
        {
            return pending.IsEmpty ? "nothing" : Describe(pending);
        }

        // After a failed write the gate does not know what Entra holds (the request may have landed): compare
        // with the tenant itself to show what is still missing.
        var missing = CidrSet.Diff(world.EntraSet, CidrSet.Create(state.DesiredRanges));
        return $"unknown to the gate after a failed write; Entra lacks {(missing.IsEmpty ? "nothing" : Describe(missing))}";
    }

    /// <summary>Formats an emulated time of day.</summary>
    /// <param name="at">The time.</param>
    /// <returns>Such as <c>08:01:00</c>.</returns>
    public static string Clock(DateTimeOffset at) => at.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Formats a diff as <c>+a +b −c</c>.</summary>
    /// <param name="diff">The diff.</param>
    /// <returns>The text.</returns>
    public static string Describe(CidrSetDiff diff) =>
        string.Join(' ', diff.Added.ToCidrs().Select(range => $"+{range}").Concat(diff.Removed.ToCidrs().Select(range => $"-{range}")));
}
