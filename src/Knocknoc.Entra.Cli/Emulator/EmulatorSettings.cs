using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Emulator;

/// <summary>The bad-day settings <c>emulator</c> starts with (the control surface can change them while it runs).</summary>
/// <param name="RateLimitSeconds">The shortest time between two accepted Graph requests of the tenant; 0 turns the limit off.</param>
/// <param name="RetryAfter">How a rate-limit 429 carries <c>Retry-After</c>.</param>
/// <param name="ConsistencyWindowSeconds">How long reads may return the version before a write.</param>
/// <param name="FlappingReads">Whether reads inside the window return old or new at random (seeded).</param>
/// <param name="FailureRate">The share of Graph requests answered with a transient 503.</param>
internal sealed record EmulatorSettings(double RateLimitSeconds = 1, EmulatedRetryAfter RetryAfter = EmulatedRetryAfter.Absent, double ConsistencyWindowSeconds = 0, bool FlappingReads = false, double FailureRate = 0)
{
    /// <summary>Applies the settings to the emulator's options.</summary>
    /// <param name="options">The options.</param>
    public void ApplyTo(EntraEmulatorOptions options)
    {
        options.RateLimitInterval = TimeSpan.FromSeconds(RateLimitSeconds);
        options.RetryAfter = RetryAfter;
        options.ConsistencyWindow = TimeSpan.FromSeconds(ConsistencyWindowSeconds);
        options.ConsistencyReadsFlap = FlappingReads;
        options.TransientFailureRate = FailureRate;
    }
}
