using System.Collections.Immutable;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>A named location as the emulated tenant holds it: ranges exactly as they were written, in order.</summary>
/// <param name="Id">The location's id.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="IsCountryLocation">Whether it is a countries location (which holds no ranges).</param>
/// <param name="IsTrusted">Whether it is marked trusted (then it cannot be deleted).</param>
/// <param name="IpRanges">The <c>cidrAddress</c> values as written.</param>
/// <param name="CountriesAndRegions">The country codes of a countries location.</param>
/// <param name="CreatedDateTime">When it was created.</param>
/// <param name="ModifiedDateTime">When it was last changed.</param>
public sealed record EmulatedNamedLocation(
    string Id,
    string DisplayName,
    bool IsCountryLocation,
    bool IsTrusted,
    ImmutableArray<string> IpRanges,
    ImmutableArray<string> CountriesAndRegions,
    DateTimeOffset CreatedDateTime,
    DateTimeOffset ModifiedDateTime);

/// <summary>A Conditional Access policy in an emulated tenant.</summary>
/// <param name="Id">Its id.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="State"><c>enabled</c>, <c>disabled</c> or <c>enabledForReportingButNotEnforced</c>.</param>
/// <param name="IncludeLocations">Location ids (or <c>All</c>, <c>AllTrusted</c>) it applies to, or null.</param>
/// <param name="ExcludeLocations">Location ids it exempts, or null.</param>
public sealed record EmulatedPolicy(string Id, string DisplayName, string State, ImmutableArray<string>? IncludeLocations, ImmutableArray<string>? ExcludeLocations)
{
    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset CreatedDateTime { get; init; }

    /// <summary>
    /// Gets its <c>sessionControls.continuousAccessEvaluation.mode</c> (<c>strictEnforcement</c>, <c>disabled</c>,
    /// <c>strictLocation</c>), or null for no session controls at all, as most policies have.
    /// </summary>
    public string? ContinuousAccessEvaluationMode { get; init; }
}
