namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>How the emulator's rate-limit 429 carries <c>Retry-After</c> (<see cref="EntraEmulatorOptions.RetryAfter"/>).</summary>
public enum EmulatedRetryAfter
{
    /// <summary>No <c>Retry-After</c>, as current docs describe Conditional Access 429s: clients back off on their own.</summary>
    Absent,

    /// <summary>Whole seconds, rounded up (<c>1</c>), as HTTP defines the header.</summary>
    WholeSeconds,

    /// <summary>Fractional seconds (<c>0.75</c>), as Graph has been seen to send.</summary>
    FractionalSeconds,
}
