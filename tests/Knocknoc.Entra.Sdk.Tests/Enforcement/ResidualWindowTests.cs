using Knocknoc.Entra.Sdk.Enforcement;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Enforcement;

/// <summary>Each finding of the residual window report, read from an emulated tenant through the SDK's own client.</summary>
public class ResidualWindowTests
{
    [Test]
    public async Task Each_CAE_mode_says_when_a_removal_reaches_signed_in_users()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Tenant.AddPolicy("standard", "enabled", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("strict", "enabled", ["All"], [location.Id], "strictLocation");
        bed.Tenant.AddPolicy("no cae", "enabled", ["All"], [location.Id], "disabled");
        bed.Tenant.AddPolicy("someone else's", "enabled", ["All"]);

        var report = await ResidualWindow.ReadAsync(bed.Client, location.Id);
        var windows = report.Policies.ToDictionary(window => window.Policy.DisplayName);

        Assert.That(windows.Keys, Is.EquivalentTo(new[] { "standard", "strict", "no cae" }), "only the policies that reference the location");
        Assert.That((windows["standard"].CaeCapableApps, windows["standard"].OtherApps), Is.EqualTo((RemovalTakesEffect.WithinMinutes, RemovalTakesEffect.AtNextToken)));
        Assert.That(windows["standard"].Explanation, Does.Contain("existing sessions of CAE-capable apps end within minutes").And.Contain("other apps keep access up to 1 hour").And.Contain("another address than Entra"));
        Assert.That((windows["strict"].CaeCapableApps, windows["strict"].OtherApps), Is.EqualTo((RemovalTakesEffect.WithinMinutes, RemovalTakesEffect.AtNextToken)));
        Assert.That(windows["strict"].Explanation, Does.StartWith("strict location enforcement"));
        Assert.That((windows["no cae"].CaeCapableApps, windows["no cae"].OtherApps), Is.EqualTo((RemovalTakesEffect.AtNextToken, RemovalTakesEffect.AtNextToken)));
        Assert.That(report.Enforcing.Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task Sign_in_frequency_is_named_in_plain_words()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var policy = bed.Tenant.AddPolicy("hourly", "enabled", ["All"], [location.Id]);
        bed.Tenant.ReplacePolicy(policy with { SignInFrequencyHours = 4 });

        var report = await ResidualWindow.ReadAsync(bed.Client, location.Id);

        Assert.That(report.Policies.Single().Explanation, Does.Contain("sign-in frequency 4 hour(s)"));
    }

    [Test]
    public async Task Report_only_and_off_policies_never_enforce_a_removal()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Tenant.AddPolicy("trying", "enabledForReportingButNotEnforced", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("off", "disabled", ["All"], [location.Id]);

        var report = await ResidualWindow.ReadAsync(bed.Client, location.Id);

        Assert.That(report.Enforcing, Is.Empty);
        Assert.That(report.NotEnforcing.Select(w => (w.Policy.DisplayName, w.CaeCapableApps, w.OtherApps)), Is.EquivalentTo(new[]
        {
            ("trying", RemovalTakesEffect.Never, RemovalTakesEffect.Never),
            ("off", RemovalTakesEffect.Never, RemovalTakesEffect.Never),
        }));
        Assert.That(report.NotEnforcing.First(w => w.Policy.DisplayName == "trying").Explanation, Does.StartWith("report-only"));
    }

    [Test]
    public async Task The_tenants_ranges_are_counted_against_CAEs_5000_with_a_warning_from_80_percent()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Tenant.AddPolicy("strict", "enabled", ["All"], [location.Id], "strictLocation");
        var ok = await ResidualWindow.ReadAsync(bed.Client, location.Id);
        AddRanges(bed, "others a", 2000, 0);
        AddRanges(bed, "others b", 1999, 8);
        var warning = await ResidualWindow.ReadAsync(bed.Client, location.Id);
        AddRanges(bed, "others c", 1001, 16);
        var exceeded = await ResidualWindow.ReadAsync(bed.Client, location.Id);

        Assert.That((ok.TenantIpRangeCount, ok.RangeBudget), Is.EqualTo((1, RangeBudgetStatus.Ok)));
        Assert.That((warning.TenantIpRangeCount, warning.RangeBudget), Is.EqualTo((4000, RangeBudgetStatus.Warning)));
        Assert.That((exceeded.TenantIpRangeCount, exceeded.RangeBudget), Is.EqualTo((5001, RangeBudgetStatus.Exceeded)));
        Assert.That(exceeded.Policies.Single().CaeCapableApps, Is.EqualTo(RemovalTakesEffect.AtNextToken), "over the limit, CAE enforces no location change");
        Assert.That(ResidualWindow.BudgetOf(3999), Is.EqualTo(RangeBudgetStatus.Ok));
        Assert.That(ResidualWindow.BudgetOf(5000), Is.EqualTo(RangeBudgetStatus.Warning));
    }

    [Test]
    public async Task A_trusted_location_names_the_policies_it_changes_through_AllTrusted()
    {
        using var bed = new EmulatedClientBed();
        var trusted = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"], isTrusted: true);
        var untrusted = bed.Tenant.AddIpNamedLocation("knocknoc_y", ["192.0.2.1/32"]);
        bed.Tenant.AddPolicy("mfa outside trusted", "enabled", ["All"], ["AllTrusted"]);
        bed.Tenant.AddPolicy("unrelated", "enabled", ["All"]);

        var report = await ResidualWindow.ReadAsync(bed.Client, trusted.Id);
        var plain = await ResidualWindow.ReadAsync(bed.Client, untrusted.Id);

        Assert.That(report.Location.IsTrusted, Is.True);
        Assert.That(report.TrustedLocationPolicies.Select(p => p.DisplayName), Is.EqualTo(new[] { "mfa outside trusted" }));
        Assert.That(plain.TrustedLocationPolicies, Is.Empty);
    }

    private static void AddRanges(EmulatedClientBed bed, string name, int count, int secondOctet) =>
        bed.Tenant.AddIpNamedLocation(name, Enumerable.Range(0, count).Select(i => $"100.{secondOctet + (i / 256)}.{i % 256}.0/24"));
}
