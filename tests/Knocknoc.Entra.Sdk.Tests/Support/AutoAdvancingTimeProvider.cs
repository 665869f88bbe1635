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
        if (_timers.Count > 4096)
        {
            // Long runs create many one-shot timers: forget the disposed ones so Skip stays cheap.
            var live = _timers.Where(t => !t.IsDisposed).ToList();
            _timers.Clear();
            live.ForEach(_timers.Enqueue);
        }

        _timers.Enqueue(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/> and fires, in due order, every long timer whose due time has
    /// now come (measured from when it was set): expiries, drift checks, read-after-write delays.
    /// </summary>
    public void Skip(TimeSpan by)
    {
        Advance(by);
        var now = GetUtcNow();
        foreach (var timer in _timers.Where(t => t.DueAt is { } at && at <= now).OrderBy(t => t.DueAt).ToList())
        {
            timer.FireIfDueBy(now);
        }
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
        private DateTimeOffset? _dueAt;
        private bool _disposed;

        public bool IsDisposed
        {
            get
            {
                lock (_gate)
                {
                    return _disposed;
                }
            }
        }

        public DateTimeOffset? DueAt
        {
            get
            {
                lock (_gate)
                {
                    return _disposed ? null : _dueAt;
                }
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _dueTime = dueTime;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            }

            if (dueTime != Timeout.InfiniteTimeSpan && dueTime < clock.AutoFireBelow)
            {
                lock (_gate)
                {
                    _dueTime = Timeout.InfiniteTimeSpan;
                    _dueAt = null;
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
                _dueAt = null;
            }

            callback(state);
        }

        public void FireIfDueBy(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_disposed || _dueAt is not { } at || at > now)
                {
                    return;
                }

                _dueTime = Timeout.InfiniteTimeSpan;
                _dueAt = null;
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
