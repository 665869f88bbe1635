using System.Buffers;
using System.Globalization;

namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// The name a queued change's files share (<c>TICKS-PID-GUID</c>): names sort in queue order, and the same name
/// marks a change in its queue's spool and, as its owner, in the location's journal. Kept with the state directory's
/// other names so that the queue which gives it and the journal which records it both read it from below.
/// </summary>
internal static class ChangeStem
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>A new name: the time's ticks, this process's id and a random GUID.</summary>
    /// <param name="now">The time, for the queue's order.</param>
    /// <returns>The name.</returns>
    public static string New(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D20}-{Environment.ProcessId:D10}-{Guid.NewGuid():N}");

    /// <summary>Whether <paramref name="stem"/> is a name the tool gives a change (<c>TICKS-PID-GUID</c>).</summary>
    /// <param name="stem">The name without extension.</param>
    /// <returns>True when it is.</returns>
    public static bool Is(string stem) =>
        stem.Length == 20 + 1 + 10 + 1 + 32
        && stem[20] == '-' && stem[31] == '-'
        && stem.AsSpan(0, 20).ContainsAnyExceptInRange('0', '9') is false
        && stem.AsSpan(21, 10).ContainsAnyExceptInRange('0', '9') is false
        && stem.AsSpan(32).ContainsAnyExcept(LowerHex) is false;
}
