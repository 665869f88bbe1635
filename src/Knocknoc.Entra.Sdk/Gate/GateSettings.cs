using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

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

    /// <summary>
    /// Gets a value indicating whether grants are saved to a store: only then can a save fail and grants since the last
    /// one need undoing. Without a store nothing is saved, and remembering every grant as unsaved would grow for ever.
    /// </summary>
    public bool HasStore { get; } = options.Store is not null;

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
