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

    /// <summary>
    /// Gets its sign-in frequency session control: a number of hours (<c>value</c>, <c>type: hours</c>), or null for
    /// none. Ignored when <see cref="SignInEveryTime"/> is set.
    /// </summary>
    public int? SignInFrequencyHours { get; init; }

    /// <summary>Gets a value indicating whether its sign-in frequency is <c>everyTime</c>.</summary>
    public bool SignInEveryTime { get; init; }
}

/// <summary>A user of an emulated tenant: what <c>revokeSignInSessions</c> and What If need of one.</summary>
/// <param name="Id">Its object id.</param>
/// <param name="UserPrincipalName">Its sign-in name.</param>
public sealed record EmulatedUser(string Id, string UserPrincipalName)
{
    /// <summary>Tells whether <paramref name="idOrName"/> names this user, by object id or user principal name.</summary>
    /// <param name="idOrName">An object id or user principal name.</param>
    /// <returns>True when it names the user.</returns>
    public bool IsNamedBy(string idOrName) =>
        string.Equals(Id, idOrName, StringComparison.OrdinalIgnoreCase) || string.Equals(UserPrincipalName, idOrName, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One accepted <c>revokeSignInSessions</c>: whose sessions ended, and when.</summary>
/// <param name="UserId">The user's object id.</param>
/// <param name="At">When the emulator accepted it.</param>
public sealed record EmulatedSessionRevocation(string UserId, DateTimeOffset At);
