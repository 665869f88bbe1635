namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>
/// A policy's Continuous Access Evaluation session control (<c>sessionControls.continuousAccessEvaluation.mode</c>).
/// Graph returns <c>strictLocation</c> only to a client that asks with <c>Prefer: include-unknown-enum-members</c>,
/// which the SDK always sends; <see cref="Unknown"/> is a member this SDK does not know (or <c>unknownFutureValue</c>).
/// </summary>
public enum ContinuousAccessEvaluationMode
{
    /// <summary>A mode this SDK does not know.</summary>
    Unknown = 0,

    /// <summary><c>strictEnforcement</c>: strict enforcement of CAE events, IP mismatch included.</summary>
    StrictEnforcement,

    /// <summary><c>disabled</c>: CAE is off for the policy's sign-ins; a revoked address keeps access until the token ends.</summary>
    Disabled,

    /// <summary><c>strictLocation</c>: strict location enforcement, no 1-hour token on an IP mismatch.</summary>
    StrictLocation,
}

/// <summary>A policy's sign-in frequency session control: how often a user must sign in again.</summary>
/// <param name="EveryTime">Whether the user signs in at every access (<c>frequencyInterval: everyTime</c>).</param>
/// <param name="Interval">The time between sign-ins (<c>value</c> hours or days), or null for every time.</param>
public sealed record SignInFrequencyControl(bool EveryTime, TimeSpan? Interval);
