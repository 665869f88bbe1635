using System.ComponentModel.DataAnnotations;
using Knocknoc.Entra.Sdk.Clouds;

namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>How Graph calls are retried, timed out and paced.</summary>
public sealed class GraphResilienceOptions
{
    /// <summary>Gets or sets how many times a failed call is retried (408, 429, 500, 502, 503, 504, network errors).</summary>
    /// <value>The default value is 6.</value>
    [Range(0, 100)]
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>Gets or sets the first backoff delay when Graph sends no <c>Retry-After</c>; it doubles each retry, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay, and the longest <c>Retry-After</c> honoured.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long one attempt may take before it is abandoned and retried.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a call may take with all its retries before ENTRA004.</summary>
    /// <value>The default value is 3 minutes.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Gets or sets the shortest time between two requests to one tenant's Conditional Access API, shared by every
    /// client of that tenant in the process. Graph allows 1 request per second per tenant for all apps together.
    /// <see cref="TimeSpan.Zero"/> turns pacing off.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan TenantRequestInterval { get; set; } = GraphLimits.TenantRequestInterval;

    /// <summary>
    /// Gets or sets how much longer than <see cref="TenantRequestInterval"/> the SDK leaves between one request's
    /// answer and the next request to the tenant. Graph counts a request when it receives it, which the SDK sees only
    /// as a moment between the send and the answer; the next request waits for the interval after the answer, plus
    /// this margin for what it cannot see: Graph's front ends and its counter are not one clock, and a timer may
    /// fire late. A self-inflicted 429 costs a second or more of backoff and a request of the tenant's shared budget;
    /// the margin costs at most a fifth of the throughput, and only when requests queue back to back.
    /// Ignored when <see cref="TenantRequestInterval"/> is zero.
    /// </summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan TenantRequestMargin { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets the source of backoff jitter; set a seeded <see cref="System.Random"/> for repeatable tests.</summary>
    /// <value>The default value is null: <see cref="Random.Shared"/>.</value>
    public Random? Random { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetryAttempts, nameof(MaxRetryAttempts));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRetryAttempts, 100, nameof(MaxRetryAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(TotalTimeout, AttemptTimeout, nameof(TotalTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(TenantRequestInterval, TimeSpan.Zero, nameof(TenantRequestInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(TenantRequestMargin, TimeSpan.Zero, nameof(TenantRequestMargin));
    }
}
