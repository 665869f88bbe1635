using System.Collections.Concurrent;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// A fake clock for code that waits: a timer due within <see cref="AutoFireBelow"/> moves the clock forward
/// by its due time and fires at once, so retries and pacing run instantly while <see cref="Delays"/> and the
/// clock record exactly how long they would have waited. Longer timers (timeouts) never fire on their own.
/// </summary>
internal sealed class AutoAdvancingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public AutoAdvancingTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero))
    {
    }

    public TimeSpan AutoFireBelow { get; init; } = TimeSpan.FromMinutes(10);

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        _timers.Enqueue(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires, once each, the long timers (timeouts) due within <paramref name="upTo"/> that are still live.</summary>
    public void FireDormantTimers(TimeSpan upTo)
    {
        foreach (var timer in _timers)
        {
            timer.FireIfDue(upTo);
        }
    }

    private readonly ConcurrentQueue<FakeTimer> _timers = new();

    /// <summary>A timer on the fake clock: short due times fire at once (the clock jumps), long ones wait to be fired.</summary>
    private sealed class FakeTimer(AutoAdvancingTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly Lock _gate = new();
        private TimeSpan _dueTime = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _dueTime = dueTime;
            }

            if (dueTime != Timeout.InfiniteTimeSpan && dueTime < clock.AutoFireBelow)
            {
                lock (_gate)
                {
                    _dueTime = Timeout.InfiniteTimeSpan;
                }

                clock.Delays.Enqueue(dueTime);
                clock.Advance(dueTime);
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }

            return true;
        }

        public void FireIfDue(TimeSpan upTo)
        {
            lock (_gate)
            {
                if (_disposed || _dueTime == Timeout.InfiniteTimeSpan || _dueTime > upTo)
                {
                    return;
                }

                _dueTime = Timeout.InfiniteTimeSpan;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
