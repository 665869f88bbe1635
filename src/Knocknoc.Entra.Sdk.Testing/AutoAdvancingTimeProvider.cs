using System.Collections.Concurrent;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// A fake clock for code that waits, to run the SDK against the emulator in emulated time: a timer due within
/// <see cref="AutoFireBelow"/> moves the clock forward by its due time and fires at once, so pacing, coalescing and
/// retries run instantly while <see cref="Delays"/> and the clock record exactly how long they would have waited.
/// Longer timers (timeouts, expiries, drift checks) wait for <see cref="Skip"/> or <see cref="FireDormantTimers"/>.
/// </summary>
/// <param name="start">The clock's first reading (read as UTC, as <see cref="TimeProvider.GetUtcNow"/> must return).</param>
public sealed class AutoAdvancingTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <summary>Initializes a new instance of the <see cref="AutoAdvancingTimeProvider"/> class at 2026-11-22 03:00 UTC.</summary>
    public AutoAdvancingTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets the due time under which a timer fires at once (moving the clock); longer ones wait.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan AutoFireBelow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets every due time that fired at once, in order: how long the code would have waited.</summary>
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward without firing any timer.</summary>
    /// <param name="by">How far.</param>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    /// <inheritdoc/>
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
    /// <param name="by">How far to move the clock.</param>
    public void Skip(TimeSpan by)
    {
        Advance(by);
        var now = GetUtcNow();
        foreach (var timer in _timers.Where(t => t.DueAt is { } at && at <= now).OrderBy(t => t.DueAt).ToList())
        {
            timer.FireIfDueBy(now);
        }
    }

    /// <summary>Fires, once each, the long timers (timeouts) due within <paramref name="upTo"/> of being set that are still live.</summary>
    /// <param name="upTo">The longest due time to fire.</param>
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
