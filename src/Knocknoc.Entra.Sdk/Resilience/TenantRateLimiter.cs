using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>
/// Paces requests to one tenant's Conditional Access API so the SDK never causes its own 429s: requests go one
/// at a time, each at least one interval after the previous one. One instance per tenant per
/// <see cref="TimeProvider"/> in the process, shared by every client of that tenant.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lives as long as the process (one per tenant in a registry); its semaphore never creates a wait handle.")]
internal sealed class TenantRateLimiter
{
    private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, TenantRateLimiter>> Registry = [];

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();

    // Callers take turns; only the one whose turn it is waits for the slot, so a caller that gives up while
    // queued (cancelled, timed out) never holds a slot that nobody will use.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _nextSlot;

    private TenantRateLimiter(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _nextSlot = timeProvider.GetTimestamp();
    }

    public static TenantRateLimiter For(TimeProvider timeProvider, string tenantKey) =>
        Registry.GetValue(timeProvider, static _ => new ConcurrentDictionary<string, TenantRateLimiter>(StringComparer.OrdinalIgnoreCase))
            .GetOrAdd(tenantKey, static (_, provider) => new TenantRateLimiter(provider), timeProvider);

    /// <summary>Waits for this request's turn and slot; returns how long it waited.</summary>
    public async ValueTask<TimeSpan> WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        // Even without pacing (interval zero), a Retry-After that Graph gave (Defer) still holds.
        var started = _timeProvider.GetTimestamp();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DelayUntilFreeAsync(cancellationToken).ConfigureAwait(false);
            if (interval > TimeSpan.Zero)
            {
                lock (_gate)
                {
                    _nextSlot = Math.Max(_nextSlot, _timeProvider.GetTimestamp() + ToTicks(interval));
                }
            }
        }
        finally
        {
            _turn.Release();
        }

        return _timeProvider.GetElapsedTime(started);
    }

    /// <summary>
    /// Waits until a request could leave now, without taking a turn: a gate waits here before it takes the snapshot
    /// it writes, so changes that arrive while the rate limit holds it back still go into that one request.
    /// </summary>
    public async ValueTask DelayUntilFreeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long slot;
            lock (_gate)
            {
                slot = _nextSlot;
            }

            var wait = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), slot);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A request is leaving now: the next may leave one interval later. Marked at the send itself, not when the turn
    /// came, because getting a token in between would otherwise let two requests arrive less than an interval apart.
    /// </summary>
    public void MarkSent(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var next = _timeProvider.GetTimestamp() + ToTicks(interval);
        lock (_gate)
        {
            _nextSlot = Math.Max(_nextSlot, next);
        }
    }

    /// <summary>Graph said to wait: no request to this tenant from this process goes before then.</summary>
    public void Defer(TimeSpan retryAfter)
    {
        var until = _timeProvider.GetTimestamp() + ToTicks(retryAfter);
        lock (_gate)
        {
            _nextSlot = Math.Max(_nextSlot, until);
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);
}
