using Knocknoc.Entra.Sdk.Enforcement;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Enforcement;

/// <summary>Entra's What If as proof that the location decides, played by the emulator.</summary>
public class WhatIfProofTests
{
    [Test]
    public async Task A_policy_that_excludes_the_location_is_exactly_what_differs_between_a_granted_and_an_ungranted_address()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["203.0.113.7/32", "192.0.2.0/32"]);
        bed.Tenant.AddIpNamedLocation("office", ["198.51.100.0/24"]);
        var user = bed.Tenant.AddUser("alice@contoso.example");
        var block = bed.Tenant.AddPolicy("block outside knocknoc", "enabled", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("mfa everywhere", "enabled");
        bed.Tenant.AddPolicy("off", "disabled", ["All"], [location.Id]);
        var read = await bed.Client.GetIpAsync(location.Id);

        var proof = await WhatIfProof.EvaluateAsync(bed.Client, read, user.Id);

        Assert.That(proof.InsideAddress.ToString(), Is.EqualTo("203.0.113.7"));
        Assert.That(proof.OutsideAddress.ToString(), Is.EqualTo("192.0.2.1"));
        Assert.That(proof.Deciding.Select(p => p.Id), Is.EqualTo(new[] { block.Id }));
        Assert.That(proof.Inside.Single(r => r.Policy.Id == block.Id).PolicyApplies, Is.False);
        Assert.That(proof.Outside.Single(r => r.Policy.Id == block.Id).AnalysisReasons, Is.EqualTo(new[] { "notSet" }));
        Assert.That(proof.Inside.Single(r => r.Policy.Id == block.Id).AnalysisReasons, Is.EqualTo(new[] { "location" }));
        Assert.That(proof.LocationDecides, Is.True);
        Assert.That(proof.Undecided, Is.Empty);
    }

    [Test]
    public async Task A_location_used_only_by_a_report_only_policy_or_one_What_If_cannot_decide_proves_nothing()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var user = bed.Tenant.AddUser("alice@contoso.example");
        bed.Tenant.AddPolicy("trying", "enabledForReportingButNotEnforced", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("mfa trusted ips", "enabled", ["All"], ["00000000-0000-0000-0000-000000000000"]);
        var read = await bed.Client.GetIpAsync(location.Id);

        var proof = await WhatIfProof.EvaluateAsync(bed.Client, read, user.UserPrincipalName);

        Assert.That(proof.Deciding.Select(p => p.DisplayName), Is.EqualTo(new[] { "trying" }), "report-only is evaluated but does not enforce");
        Assert.That(proof.LocationDecides, Is.False);
        Assert.That(proof.Undecided.Select(p => p.DisplayName), Is.EqualTo(new[] { "mfa trusted ips" }));
        Assert.That(proof.OutsideAddress.ToString(), Is.EqualTo("192.0.2.1"), "the sentinel's neighbour is outside");
    }
}
