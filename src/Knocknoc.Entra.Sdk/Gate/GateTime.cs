namespace Knocknoc.Entra.Sdk;

/// <summary>Time arithmetic the gate's schedule needs: an infinite or huge span saturates instead of overflowing.</summary>
internal static class GateTime
{
    public static DateTimeOffset Add(DateTimeOffset at, TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || DateTimeOffset.MaxValue - at < span ? DateTimeOffset.MaxValue : at + span;

    public static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other < a ? other : a;
}
