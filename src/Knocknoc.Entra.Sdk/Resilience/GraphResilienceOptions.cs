using System.ComponentModel.DataAnnotations;

namespace Knocknoc.Entra.Sdk;

/// <summary>How Graph calls are retried, timed out and paced.</summary>
public sealed class GraphResilienceOptions
{
    /// <summary>The longest timeout or delay the resilience pipeline accepts (Polly's limit).</summary>
    private static readonly TimeSpan PipelineLimit = TimeSpan.FromDays(1);

    /// <summary>The shortest timeout the resilience pipeline accepts (Polly's limit).</summary>
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);

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

    /// <summary>Throws when a value is out of range; the message lists every problem.</summary>
    internal void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentOutOfRangeException(problems[0].Property, string.Join(" ", problems.Select(p => p.Text)));
        }
    }

    /// <summary>Lists every out-of-range value, so one validation pass (a host's start) can report them all.</summary>
    internal List<(string Property, string Text)> Problems()
    {
        var problems = new List<(string, string)>();
        void Check(bool ok, string property, string rule, object value)
        {
            if (!ok)
            {
                problems.Add((property, $"Resilience.{property} {rule} ({value})."));
            }
        }

        Check(MaxRetryAttempts is >= 0 and <= 100, nameof(MaxRetryAttempts), "must be between 0 and 100", MaxRetryAttempts);
        Check(BaseDelay > TimeSpan.Zero, nameof(BaseDelay), "must be positive", BaseDelay);
        Check(MaxDelay >= BaseDelay, nameof(MaxDelay), "must not be shorter than BaseDelay", MaxDelay);

        // The resilience pipeline's own limits, checked here too: a hosted gate builds its pipeline at its first
        // Graph call, which must not be where an out-of-range value is found.
        Check(MaxDelay <= PipelineLimit, nameof(MaxDelay), "must not be longer than 24 hours", MaxDelay);
        Check(AttemptTimeout >= ShortestTimeout && AttemptTimeout <= PipelineLimit, nameof(AttemptTimeout), "must be between 10 milliseconds and 24 hours", AttemptTimeout);
        Check(TotalTimeout >= AttemptTimeout, nameof(TotalTimeout), "must not be shorter than AttemptTimeout", TotalTimeout);
        Check(TotalTimeout <= PipelineLimit, nameof(TotalTimeout), "must not be longer than 24 hours", TotalTimeout);
        Check(TenantRequestInterval >= TimeSpan.Zero, nameof(TenantRequestInterval), "must not be negative", TenantRequestInterval);
        Check(TenantRequestMargin >= TimeSpan.Zero, nameof(TenantRequestMargin), "must not be negative", TenantRequestMargin);
        return problems;
    }
}
