using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Enforcement;

/// <summary>When removing an address from the location reaches a user who is already signed in.</summary>
public enum RemovalTakesEffect
{
    /// <summary>Within minutes: Continuous Access Evaluation ends the session when the resource sees the address leave.</summary>
    WithinMinutes,

    /// <summary>At the next token: up to about 1 hour after the removal.</summary>
    AtNextToken,

    /// <summary>Never: the policy does not enforce (report-only or off).</summary>
    Never,
}

/// <summary>How the tenant's IP ranges stand against Continuous Access Evaluation's real-time limit.</summary>
public enum RangeBudgetStatus
{
    /// <summary>Below 80% of the limit.</summary>
    Ok,

    /// <summary>From 80% of the limit: the next grants may push it over.</summary>
    Warning,

    /// <summary>Over the limit: CAE no longer enforces location changes in real time anywhere in the tenant.</summary>
    Exceeded,
}

/// <summary>One policy that uses the location, and what it means for a revoked address.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="CaeCapableApps">When a removal reaches sessions of apps that support CAE (Exchange, SharePoint, Teams, Graph).</param>
/// <param name="OtherApps">When a removal reaches sessions of every other app.</param>
/// <param name="Explanation">The same in plain words, for a person.</param>
public sealed record PolicyResidualWindow(ConditionalAccessPolicy Policy, RemovalTakesEffect CaeCapableApps, RemovalTakesEffect OtherApps, string Explanation);

/// <summary>
/// How long a revoked user keeps access through one named location: for each policy that references it, its CAE mode,
/// sign-in frequency and state in plain words; the tenant's IP ranges against CAE's 5,000; and whether the location is
/// trusted, with the side effects that has. Built by <see cref="ResidualWindow"/>.
/// </summary>
/// <param name="Location">The location.</param>
/// <param name="Policies">The policies that include or exclude the location by id.</param>
/// <param name="TenantIpRangeCount">The IP ranges of every IP named location of the tenant together.</param>
/// <param name="RangeBudget">How that count stands against <see cref="ResidualWindow.ContinuousAccessEvaluationRangeLimit"/>.</param>
/// <param name="TrustedLocationPolicies">
/// When the location is trusted: the policies whose location condition names <c>AllTrusted</c>, which the location
/// therefore changes too; empty when it is not trusted.
/// </param>
public sealed record ResidualWindowReport(
    IpNamedLocation Location,
    ImmutableArray<PolicyResidualWindow> Policies,
    int TenantIpRangeCount,
    RangeBudgetStatus RangeBudget,
    ImmutableArray<ConditionalAccessPolicy> TrustedLocationPolicies)
{
    /// <summary>Gets the policies that use the location and enforce (state on).</summary>
    public IEnumerable<PolicyResidualWindow> Enforcing => Policies.Where(policy => policy.Policy.State == ConditionalAccessPolicyState.Enabled);

    /// <summary>Gets the policies that use the location but do not enforce: report-only, off, or a state the SDK does not know.</summary>
    public IEnumerable<PolicyResidualWindow> NotEnforcing => Policies.Where(policy => policy.Policy.State != ConditionalAccessPolicyState.Enabled);
}
