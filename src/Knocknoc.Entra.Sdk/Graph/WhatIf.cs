using System.Collections.Immutable;
using System.Net;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>A sign-in described to Entra's What If (<c>POST /identity/conditionalAccess/evaluate</c>).</summary>
/// <param name="UserId">The user signing in: object id or user principal name.</param>
/// <param name="IpAddress">The address the sign-in comes from.</param>
public sealed record WhatIfSignIn(string UserId, IPAddress IpAddress)
{
    /// <summary>The application asked about when none is given: Office 365 Exchange Online, which every tenant has.</summary>
    public const string DefaultApplicationId = "00000002-0000-0ff1-ce00-000000000000";

    /// <summary>Gets the application (client) id signed in to.</summary>
    /// <value>The default value is <see cref="DefaultApplicationId"/>.</value>
    public string ApplicationId { get; init; } = DefaultApplicationId;

    /// <summary>Gets the two-letter country the sign-in comes from, or null to leave it to Entra.</summary>
    public string? Country { get; init; }
}

/// <summary>One policy as What If judged it for a sign-in.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="PolicyApplies">Whether it applies to the sign-in.</param>
/// <param name="AnalysisReasons">
/// Graph's <c>analysisReasons</c> members (<c>location</c>, <c>users</c>, <c>notEnoughInformation</c>, ...): why a policy
/// does not apply; empty or <c>notSet</c> when nothing stopped it.
/// </param>
public sealed record WhatIfPolicyResult(ConditionalAccessPolicy Policy, bool PolicyApplies, ImmutableArray<string> AnalysisReasons)
{
    /// <summary>Gets a value indicating whether What If could not decide the policy from what the sign-in gave it.</summary>
    public bool NotEnoughInformation => AnalysisReasons.Contains("notEnoughInformation", StringComparer.OrdinalIgnoreCase);
}

/// <summary>Ends a user's sign-in sessions in Entra (<c>POST /users/{id}/revokeSignInSessions</c>).</summary>
public interface ISignInSessionClient
{
    /// <summary>
    /// Invalidates the user's refresh tokens and browser session cookies, on every device: the user signs in again.
    /// Needs the application permission <c>User.RevokeSessions.All</c>. Not paced with Conditional Access calls: the
    /// directory throttles it. Failures are ENTRA067 (a missing user is its 404).
    /// </summary>
    /// <param name="userId">The user's object id or user principal name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Entra accepted the revocation.</returns>
    Task RevokeSignInSessionsAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>Asks Entra's What If which Conditional Access policies apply to a sign-in.</summary>
public interface IWhatIfClient
{
    /// <summary>
    /// Evaluates every policy of the tenant for <paramref name="signIn"/> (applying or not, with the reasons).
    /// Needs <c>Policy.Read.ConditionalAccess</c>; paced with the Conditional Access calls. Failures are ENTRA068.
    /// </summary>
    /// <param name="signIn">The sign-in.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per policy.</returns>
    Task<IReadOnlyList<WhatIfPolicyResult>> EvaluateAsync(WhatIfSignIn signIn, CancellationToken cancellationToken = default);
}
