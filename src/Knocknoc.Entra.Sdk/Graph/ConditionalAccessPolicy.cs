using System.Collections.Immutable;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>Whether a Conditional Access policy enforces.</summary>
public enum ConditionalAccessPolicyState
{
    /// <summary>A state this SDK does not know.</summary>
    Unknown = 0,

    /// <summary>On: enforced.</summary>
    Enabled,

    /// <summary>Off.</summary>
    Disabled,

    /// <summary>Report-only: evaluated and logged, never enforced.</summary>
    EnabledForReportingButNotEnforced,
}

/// <summary>The parts of a Conditional Access policy that tell whether it uses a named location.</summary>
/// <param name="Id">The policy's id.</param>
/// <param name="DisplayName">The policy's name.</param>
/// <param name="State">Whether it enforces.</param>
/// <param name="IncludeLocations">Location ids (or <c>All</c>, <c>AllTrusted</c>) the policy applies to.</param>
/// <param name="ExcludeLocations">Location ids (or <c>AllTrusted</c>) the policy exempts.</param>
public sealed record ConditionalAccessPolicy(
    string Id,
    string DisplayName,
    ConditionalAccessPolicyState State,
    ImmutableArray<string> IncludeLocations,
    ImmutableArray<string> ExcludeLocations)
{
    /// <summary>
    /// Gets the policy's CAE session control, or null when it sets none (then CAE works in its standard mode for the
    /// apps that support it).
    /// </summary>
    public ContinuousAccessEvaluationMode? ContinuousAccessEvaluation { get; init; }

    /// <summary>Gets the policy's sign-in frequency, or null when it sets none (or the control is off).</summary>
    public SignInFrequencyControl? SignInFrequency { get; init; }

    /// <summary>Tells whether the policy names <paramref name="namedLocationId"/> in its location conditions.</summary>
    /// <param name="namedLocationId">The location's id.</param>
    /// <returns><see langword="true"/> when included or excluded by id.</returns>
    public bool References(string namedLocationId) =>
        IncludeLocations.Contains(namedLocationId, StringComparer.OrdinalIgnoreCase)
        || ExcludeLocations.Contains(namedLocationId, StringComparer.OrdinalIgnoreCase);
}
