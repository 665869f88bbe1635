
namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>How the emulator behaves where Graph's behaviour is configurable or uncertain.</summary>
public sealed class EntraEmulatorOptions
{
    /// <summary>Gets or sets the clock: token expiry, the rate limit and the consistency window all run on it.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the emulator's randomness (ids, secrets, random faults).</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets how long an issued access token is accepted.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the Conditional Access rate limit: the shortest time between two accepted Graph requests of one
    /// tenant; faster requests get 429. Graph's is 1 request per second. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RateLimitInterval { get; set; } = GraphLimits.TenantRequestInterval;

    /// <summary>
    /// Gets or sets how a rate-limit 429 carries <c>Retry-After</c>. Current docs describe Conditional Access 429s
    /// without it; where Graph sends it, it may be fractional.
    /// </summary>
    /// <value>The default value is <see cref="EmulatedRetryAfter.Absent"/>.</value>
    public EmulatedRetryAfter RetryAfter { get; set; } = EmulatedRetryAfter.Absent;

    /// <summary>Gets or sets how long reads keep returning the previous version after a write (eventual consistency).</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: reads see every write at once.</value>
    public TimeSpan ConsistencyWindow { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether reads inside the consistency window answer at random (from <see cref="Seed"/>)
    /// with the old or a newer version, as Graph's replicas may, instead of always the old one.
    /// </summary>
    /// <value>The default value is false: reads lag deterministically.</value>
    public bool ConsistencyReadsFlap { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether reads need Policy.Read.All itself. Graph's documentation names it as the
    /// least privilege for reads; Knocknoc's says Policy.ReadWrite.ConditionalAccess covers reading too.
    /// </summary>
    /// <value>The default value is false: either permission reads.</value>
    public bool ReadsNeedPolicyRead { get; set; }

    /// <summary>Gets or sets the shortest prefix length accepted in a range ("only CIDR masks greater than /8").</summary>
    /// <value>The default value is 9.</value>
    public int MinimumPrefixLength { get; set; } = GraphLimits.WidestPrefixLength;

    /// <summary>Gets or sets the most ranges a named location holds.</summary>
    /// <value>The default value is 2000.</value>
    public int MaxIpRanges { get; set; } = GraphLimits.MaxIpRanges;

    /// <summary>Gets or sets the most named locations a tenant holds.</summary>
    /// <value>The default value is 195.</value>
    public int MaxNamedLocations { get; set; } = GraphLimits.MaxNamedLocations;

    /// <summary>Gets or sets the page size of list answers (<c>$top</c> lowers it).</summary>
    /// <value>The default value is 100.</value>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets a value indicating whether writes need Policy.Read.All as well as Policy.ReadWrite.ConditionalAccess, as Graph's documentation says.</summary>
    /// <value>The default value is true.</value>
    public bool WritesNeedPolicyRead { get; set; } = true;

    /// <summary>Gets or sets how long every Graph answer takes, on <see cref="TimeProvider"/>: a slow Graph, for timeout tests.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Gets or sets the share (0 to 1) of Graph requests that fail with a transient 503, drawn from the seeded randomness.</summary>
    /// <value>The default value is 0.</value>
    public double TransientFailureRate { get; set; }
}
