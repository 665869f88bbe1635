using System.Globalization;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Enforcement;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>doctor</c>'s checks of what the location means once written: how long a revoked address keeps working (the
/// residual window), the tenant's ranges against CAE's 5,000, trust's side effects, and with <c>--user</c>, Entra's
/// own What If as proof that the location decides. Wording: docs/effective-access.md.
/// </summary>
internal static class DoctorEnforcement
{
    public static async Task AddChecksAsync(NamedLocationClient client, IpNamedLocation location, IReadOnlyList<ConditionalAccessPolicy> policies, string? user, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        ResidualWindowReport report;
        try
        {
            report = ResidualWindow.Assess(location, await client.ListAsync(cancellationToken).ConfigureAwait(false), policies);
        }
        catch (EntraException error)
        {
            checks.Add(DoctorCheck.Failed("revocation", $"the tenant's named locations could not be listed to count their ranges: {error.Message}", error));
            return;
        }

        checks.Add(WindowCheck(report));
        checks.Add(RangeCheck(report));
        checks.Add(TrustCheck(report));
        if (user is not null)
        {
            checks.Add(await WhatIfCheckAsync(client, location, user, cancellationToken).ConfigureAwait(false));
        }
    }

    private static DoctorCheck WindowCheck(ResidualWindowReport report)
    {
        var enforcing = report.Enforcing.ToList();
        if (enforcing.Count == 0)
        {
            return DoctorCheck.Warned("revocation", "no enforced policy uses the location: a revoked address loses nothing");
        }

        var detail = string.Join("; ", enforcing.Select(window => $"'{window.Policy.DisplayName}': {window.Explanation}"));
        return enforcing.All(window => window.CaeCapableApps == RemovalTakesEffect.WithinMinutes)
            ? DoctorCheck.Passed("revocation", detail)
            : DoctorCheck.Warned("revocation", detail + "; turn on strict location enforcement (CAE) in the policy's session controls, or end sessions on revocation (SessionRevocation)");
    }

    private static DoctorCheck RangeCheck(ResidualWindowReport report)
    {
        var limit = ResidualWindow.ContinuousAccessEvaluationRangeLimit;
        var used = string.Create(CultureInfo.InvariantCulture, $"{report.TenantIpRangeCount:N0} of {limit:N0} IP ranges in the tenant's named locations ({report.TenantIpRangeCount * 100 / limit}%)");
        return report.RangeBudget switch
        {
            RangeBudgetStatus.Exceeded => DoctorCheck.Warned("cae ranges", $"{used}: over CAE's limit, so no location change is enforced in real time; tokens run their hour. Remove unused locations or ranges"),
            RangeBudgetStatus.Warning => DoctorCheck.Warned("cae ranges", $"{used}: above 80% of CAE's limit; past it, no location change is enforced in real time"),
            _ => DoctorCheck.Passed("cae ranges", used),
        };
    }

    private static DoctorCheck TrustCheck(ResidualWindowReport report)
    {
        if (!report.Location.IsTrusted)
        {
            return DoctorCheck.Passed("trust", "the location is not marked trusted");
        }

        var others = report.TrustedLocationPolicies.Length == 0
            ? "no policy uses AllTrusted today"
            : "policies using AllTrusted: " + string.Join(", ", report.TrustedLocationPolicies.Select(policy => $"'{policy.DisplayName}'"));
        return DoctorCheck.Warned("trust", $"the location is marked trusted: every granted address also counts for Identity Protection's risk scoring and for the AllTrusted condition ({others}); unmark it unless that is meant");
    }

    private static async Task<DoctorCheck> WhatIfCheckAsync(NamedLocationClient client, IpNamedLocation location, string user, CancellationToken cancellationToken)
    {
        WhatIfProof proof;
        try
        {
            proof = await WhatIfProof.EvaluateAsync(client, location, user, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error)
        {
            return DoctorCheck.Failed("what if", $"Entra's What If could not be asked: {error.Message}", error);
        }

        var deciding = string.Join(", ", proof.Deciding.Select(policy => $"'{policy.DisplayName}'"));
        var undecided = proof.Undecided.Length == 0 ? string.Empty : "; What If could not decide " + string.Join(", ", proof.Undecided.Select(policy => $"'{policy.DisplayName}'"));
        var pair = $"{user} from {proof.InsideAddress} (in the location) and from {proof.OutsideAddress} (outside)";
        return proof.LocationDecides
            ? DoctorCheck.Passed("what if", $"Entra's What If for {pair} differs by {deciding}: the location decides{undecided}")
            : DoctorCheck.Failed("what if", $"Entra's What If for {pair} differs by no enforced policy that uses the location ({(deciding.Length == 0 ? "none differs" : "differs only by " + deciding)}){undecided}: check the policies' users, applications and state");
    }
}
