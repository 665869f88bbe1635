using System.Collections.Immutable;
using System.Globalization;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Enforcement;

/// <summary>
/// Tells how long a revoked address keeps working: reads the location, every named location and the Conditional
/// Access policies (three reads, paced like every Conditional Access call) and judges them with the rules of
/// docs/effective-access.md: Continuous Access Evaluation's modes, its 5,000-range limit, sign-in frequency, trust.
/// </summary>
public static class ResidualWindow
{
    /// <summary>The IP ranges of the tenant's named locations beyond which CAE no longer enforces location changes in real time.</summary>
    public const int ContinuousAccessEvaluationRangeLimit = 5000;

    /// <summary>The share of <see cref="ContinuousAccessEvaluationRangeLimit"/> from which the budget is a warning.</summary>
    public const double RangeWarningShare = 0.8;

    /// <summary>The location condition value that means every trusted location.</summary>
    public const string AllTrusted = "AllTrusted";

    /// <summary>Reads what the report needs and builds it.</summary>
    /// <param name="client">The Graph client (needs Policy.Read.All).</param>
    /// <param name="locationId">The location's id.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report.</returns>
    public static async Task<ResidualWindowReport> ReadAsync(INamedLocationClient client, string locationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(locationId);
        var location = await client.GetIpAsync(locationId, cancellationToken).ConfigureAwait(false);
        var locations = await client.ListAsync(cancellationToken).ConfigureAwait(false);
        var policies = await client.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
        return Assess(location, locations, policies);
    }

    /// <summary>Judges what was read, without calling Graph.</summary>
    /// <param name="location">The location.</param>
    /// <param name="locations">Every named location of the tenant.</param>
    /// <param name="policies">Every Conditional Access policy of the tenant.</param>
    /// <returns>The report.</returns>
    public static ResidualWindowReport Assess(IpNamedLocation location, IReadOnlyList<NamedLocation> locations, IReadOnlyList<ConditionalAccessPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(policies);

        // The location as read just now counts, even if the list came from a replica that has not seen it yet.
        var ranges = locations.OfType<IpNamedLocation>().Where(other => !string.Equals(other.Id, location.Id, StringComparison.OrdinalIgnoreCase)).Sum(other => other.IpRanges.Length)
            + location.IpRanges.Length;
        var budget = BudgetOf(ranges);
        var windows = policies.Where(policy => policy.References(location.Id)).Select(policy => Judge(policy, budget)).ToImmutableArray();
        var trusted = location.IsTrusted
            ? policies.Where(policy => policy.IncludeLocations.Contains(AllTrusted, StringComparer.OrdinalIgnoreCase) || policy.ExcludeLocations.Contains(AllTrusted, StringComparer.OrdinalIgnoreCase)).ToImmutableArray()
            : [];
        return new ResidualWindowReport(location, windows, ranges, budget, trusted);
    }

    /// <summary>How a count of ranges stands against CAE's limit.</summary>
    /// <param name="ranges">The tenant's IP ranges.</param>
    /// <returns>The status.</returns>
    public static RangeBudgetStatus BudgetOf(int ranges) =>
        ranges > ContinuousAccessEvaluationRangeLimit ? RangeBudgetStatus.Exceeded
        : ranges >= ContinuousAccessEvaluationRangeLimit * RangeWarningShare ? RangeBudgetStatus.Warning
        : RangeBudgetStatus.Ok;

    private static PolicyResidualWindow Judge(ConditionalAccessPolicy policy, RangeBudgetStatus budget)
    {
        var frequency = policy.SignInFrequency switch
        {
            null => string.Empty,
            { EveryTime: true } => "; sign-in frequency every time: each new sign-in is checked against the location",
            { Interval: { } interval } => string.Create(CultureInfo.InvariantCulture, $"; sign-in frequency {Describe(interval)}: the user signs in again at most that long after the last sign-in, revoked or not"),
            _ => string.Empty,
        };

        if (policy.State != ConditionalAccessPolicyState.Enabled)
        {
            var state = policy.State switch
            {
                ConditionalAccessPolicyState.EnabledForReportingButNotEnforced => "report-only: sign-ins are logged as if it applied, nothing is blocked",
                ConditionalAccessPolicyState.Disabled => "off: the location changes nothing through this policy",
                _ => "in a state this SDK does not know: check it is On in the Entra admin center",
            };
            return new(policy, RemovalTakesEffect.Never, RemovalTakesEffect.Never, state + frequency);
        }

        if (budget == RangeBudgetStatus.Exceeded)
        {
            return new(policy, RemovalTakesEffect.AtNextToken, RemovalTakesEffect.AtNextToken,
                $"the tenant's named locations hold more than {ContinuousAccessEvaluationRangeLimit:N0} IP ranges, so CAE does not enforce location changes: existing sessions keep access up to 1 hour" + frequency);
        }

        var (cae, words) = policy.ContinuousAccessEvaluation switch
        {
            ContinuousAccessEvaluationMode.Disabled => (RemovalTakesEffect.AtNextToken, "CAE disabled by this policy: existing sessions keep access up to 1 hour"),
            ContinuousAccessEvaluationMode.StrictLocation or ContinuousAccessEvaluationMode.StrictEnforcement =>
                (RemovalTakesEffect.WithinMinutes, "strict location enforcement: existing sessions of CAE-capable apps end within minutes, even when the app sees another address than Entra; other apps keep access up to 1 hour"),
            null => (RemovalTakesEffect.WithinMinutes, "standard CAE: existing sessions of CAE-capable apps end within minutes, but up to 1 hour when the app sees another address than Entra; other apps keep access up to 1 hour"),
            _ => (RemovalTakesEffect.AtNextToken, "a CAE mode this SDK does not know: assume existing sessions keep access up to 1 hour"),
        };
        return new(policy, cae, RemovalTakesEffect.AtNextToken, words + frequency);
    }

    private static string Describe(TimeSpan interval) =>
        interval.TotalDays >= 1 && interval.Ticks % TimeSpan.TicksPerDay == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{interval.TotalDays:0} day(s)")
            : string.Create(CultureInfo.InvariantCulture, $"{interval.TotalHours:0} hour(s)");
}
