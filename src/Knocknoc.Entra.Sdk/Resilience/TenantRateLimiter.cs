using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Paces requests to one tenant's Conditional Access API so the SDK never causes its own 429s. Graph counts a
/// request when it reaches Graph, which the SDK cannot see: somewhere between the send and the answer's headers (a
/// new TLS connection alone can put hundreds of milliseconds in front of a request). So requests go one at a time,
/// a turn lasting until the answer's headers arrive, and the next leaves at least one interval plus a margin after
/// that answer. One instance per tenant per <see cref="TimeProvider"/> in the process, shared by every client of
/// that tenant.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lives as long as the process (one per tenant in a registry); its semaphore never creates a wait handle.")]
internal sealed class TenantRateLimiter
{
    private static readonly ConditionalWeakTable<TimeProvider, ConcurrentDictionary<string, TenantRateLimiter>> Registry = [];

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();

    // Callers take turns; a turn lasts from the wait for the slot until the answer. A caller that gives up while
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

    /// <summary>
    /// Waits for this request's turn and slot. The turn is held until the returned <see cref="PacingTurn"/> is
    /// disposed, after the answer; with pacing off (<paramref name="interval"/> zero) it is given back at once and
    /// only a <c>Retry-After</c> that Graph gave (<see cref="Defer"/>) is waited out.
    /// </summary>
    /// <param name="interval">The tenant's request interval; zero turns pacing off.</param>
    /// <param name="margin">What is added to the interval for what the SDK cannot see of Graph's clock.</param>
    /// <param name="cancellationToken">Gives up the wait.</param>
    /// <returns>The turn; dispose it after the answer.</returns>
    public ValueTask<PacingTurn> WaitAsync(TimeSpan interval, TimeSpan margin, CancellationToken cancellationToken) =>
        WaitAsync(interval, margin, waiting: null, cancellationToken);

    /// <summary>Waits for this request's turn and slot, telling <paramref name="waiting"/> of each wait for the slot.</summary>
    /// <param name="interval">The tenant's request interval; zero turns pacing off.</param>
    /// <param name="margin">What is added to the interval for what the SDK cannot see of Graph's clock.</param>
    /// <param name="waiting">Told each wait for the slot as it begins (a progress display), or null.</param>
    /// <param name="cancellationToken">Gives up the wait.</param>
    /// <returns>The turn; dispose it after the answer.</returns>
    public async ValueTask<PacingTurn> WaitAsync(TimeSpan interval, TimeSpan margin, Action<TimeSpan>? waiting, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DelayUntilSlotAsync(waiting, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _turn.Release();
            throw;
        }

        var paced = interval > TimeSpan.Zero;
        if (!paced)
        {
            _turn.Release();
        }

        return new PacingTurn(this, paced ? interval + margin : TimeSpan.Zero, _timeProvider.GetElapsedTime(started));
    }

    /// <summary>
    /// Waits until a request could leave now, without taking a turn: a gate waits here before it takes the snapshot
    /// it writes, so changes that arrive while the rate limit (or another request still waiting for its answer)
    /// holds it back still go into that one request.
    /// </summary>
    public async ValueTask DelayUntilFreeAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        _turn.Release();
        await DelayUntilSlotAsync(waiting: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Graph said to wait: no request to this tenant from this process goes before then.</summary>
    public void Defer(TimeSpan retryAfter) => PushSlot(_timeProvider.GetTimestamp() + ToTicks(retryAfter));

    /// <summary>Waits until the slot, which <see cref="Defer"/> and the turns move forward.</summary>
    internal async ValueTask DelayUntilSlotAsync(Action<TimeSpan>? waiting, CancellationToken cancellationToken)
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

            waiting?.Invoke(wait);
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The next request may leave <paramref name="gap"/> from now at the earliest.</summary>
    internal void HoldOff(TimeSpan gap)
    {
        if (gap > TimeSpan.Zero)
        {
            PushSlot(_timeProvider.GetTimestamp() + ToTicks(gap));
        }
    }

    internal void EndTurn() => _turn.Release();

    private void PushSlot(long until)
    {
        lock (_gate)
        {
            _nextSlot = Math.Max(_nextSlot, until);
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);
}
