namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Microsoft Graph's documented limits for Conditional Access named locations, the same in every cloud: the one
/// place the SDK, its tool and its emulator read them from. Sources: learn.microsoft.com's Conditional Access
/// network assignment page (ranges, prefixes, locations) and Graph's throttling limits (requests).
/// </summary>
public static class GraphLimits
{
    /// <summary>The most IP ranges one named location holds: 2,000.</summary>
    public const int MaxIpRanges = 2000;

    /// <summary>
    /// The widest prefix length Graph accepts in a named location's range, for IPv4 and IPv6 alike: /9. "Only CIDR
    /// masks greater than /8 are allowed", so /8 and every wider prefix are refused.
    /// </summary>
    public const int WidestPrefixLength = 9;

    /// <summary>The most named locations one tenant holds: 195.</summary>
    public const int MaxNamedLocations = 195;

    /// <summary>
    /// Gets the time between two Conditional Access requests to one tenant: one request per second, shared by every
    /// application of the tenant.
    /// </summary>
    public static TimeSpan TenantRequestInterval { get; } = TimeSpan.FromSeconds(1);
}
