using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>
/// Paces requests to one tenant's Conditional Access API so the SDK never causes its own 429s: each request
/// takes the next free slot, at least one interval after the previous one. One instance per tenant per
/// <see cref="TimeProvider"/> in the process, shared by every client of that tenant.
/// </summary>
internal sealed class TenantRateLimiter
{
    private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, TenantRateLimiter>> Registry = [];

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private long _nextSlot;

    private TenantRateLimiter(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _nextSlot = timeProvider.GetTimestamp();
    }

    public static TenantRateLimiter For(TimeProvider timeProvider, string tenantKey) =>
        Registry.GetValue(timeProvider, static _ => new ConcurrentDictionary<string, TenantRateLimiter>(StringComparer.OrdinalIgnoreCase))
            .GetOrAdd(tenantKey, static (_, provider) => new TenantRateLimiter(provider), timeProvider);

    /// <summary>Waits for this request's slot; returns how long it waited.</summary>
    public async ValueTask<TimeSpan> WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        long slot;
        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + ToTicks(interval);
        }

        var wait = _timeProvider.GetElapsedTime(now, slot);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return wait;
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
