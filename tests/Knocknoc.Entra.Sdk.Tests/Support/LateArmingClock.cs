using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// A clock that, once, moves past the due time of a timer armed for between <paramref name="from"/> and
/// <paramref name="to"/> just before arming it: the thread that measured the wait was descheduled, or a test skipped
/// ahead, between measuring and arming.
/// </summary>
internal sealed class LateArmingClock(AutoAdvancingTimeProvider inner, TimeSpan from, TimeSpan to) : TimeProvider
{
    private int _armed;

    /// <summary>How many timers were armed late.</summary>
    public int ArmedLate => Volatile.Read(ref _armed);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime >= from && dueTime <= to && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            inner.Skip(dueTime);
        }

        return inner.CreateTimer(callback, state, dueTime, period);
    }
}
