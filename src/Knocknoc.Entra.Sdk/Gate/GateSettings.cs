using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Grants;

namespace Knocknoc.Entra.Sdk.Gate;

/// <summary>The options' values, copied at creation so a later change to the options object cannot race the loop.</summary>
internal sealed class GateSettings(NamedLocationGateOptions options)
{
    public string Name { get; } = options.Name;

    public string? LocationDisplayName { get; } = options.LocationDisplayName;

    public LocationNameGuard? NameGuard { get; } = options.NameGuard;

    public LocationOwnership Ownership { get; } = options.Ownership;

    public Cidr Sentinel { get; } = options.Sentinel;

    public int MaxRanges { get; } = options.MaxRanges;

    public GrantAddressPolicy AddressPolicy { get; } = options.AddressPolicy;

    public TimeSpan CoalescingWindow { get; } = options.CoalescingWindow;

    public TimeSpan ReadAfterWriteDelay { get; } = options.ReadAfterWriteDelay;

    public TimeSpan DriftCheckInterval { get; } = options.DriftCheckInterval;

    public bool VerifyWrites { get; } = options.VerifyWrites;

    public TimeSpan RetryBaseDelay { get; } = options.RetryBaseDelay;

    public TimeSpan RetryMaxDelay { get; } = options.RetryMaxDelay;

    /// <summary>Gets the Entra user of a grant id for opt-in session revocation, or null when it is off.</summary>
    public Func<string, string?>? UserOfGrant { get; } = options.SessionRevocation?.UserOf;

    /// <summary>Gets how long a sent write may still land: Graph's attempt timeout, after which the client gave up on it.</summary>
    public TimeSpan InFlightHorizon { get; } = options.Resilience.AttemptTimeout;
}
