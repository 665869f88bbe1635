using System.Net;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Emulator;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Enforcement;

/// <summary>The client's calls beyond named locations against the emulator: policies' session controls, revokeSignInSessions and What If.</summary>
public class SessionAndWhatIfClientTests
{
    private const GraphPermissions WithRevocation = GraphPermissions.All | GraphPermissions.UserRevokeSessionsAll;

    [Test]
    public async Task Policies_are_read_with_their_CAE_mode_including_strictLocation_and_their_sign_in_frequency()
    {
        using var bed = new EmulatedClientBed();
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        bed.Tenant.AddPolicy("strict", "enabled", ["All"], [location.Id], "strictLocation");
        bed.Tenant.AddPolicy("off", "enabled", ["All"], [location.Id], "disabled");
        var hourly = bed.Tenant.AddPolicy("hourly", "enabled", ["All"], [location.Id]);
        var everyTime = bed.Tenant.AddPolicy("every time", "enabled", ["All"], [location.Id]);
        bed.Tenant.ReplacePolicy(hourly with { SignInFrequencyHours = 4 });
        bed.Tenant.ReplacePolicy(everyTime with { SignInEveryTime = true });

        var policies = (await bed.Client.ListPoliciesAsync()).ToDictionary(policy => policy.DisplayName);

        Assert.That(policies["strict"].ContinuousAccessEvaluation, Is.EqualTo(ContinuousAccessEvaluationMode.StrictLocation));
        Assert.That(policies["off"].ContinuousAccessEvaluation, Is.EqualTo(ContinuousAccessEvaluationMode.Disabled));
        Assert.That(policies["hourly"].ContinuousAccessEvaluation, Is.Null);
        Assert.That(policies["hourly"].SignInFrequency, Is.EqualTo(new SignInFrequencyControl(false, TimeSpan.FromHours(4))));
        Assert.That(policies["every time"].SignInFrequency, Is.EqualTo(new SignInFrequencyControl(true, null)));
    }

    [Test]
    public async Task Without_the_Prefer_header_Graph_hides_strictLocation_as_unknownFutureValue()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Tenant.AddPolicy("strict", "enabled", ["All"], [location.Id], "strictLocation");
        entra.Tenant.AddPolicy("enforce", "enabled", ["All"], [location.Id], "strictEnforcement");

        using var plain = await entra.SendAsync(HttpMethod.Get, "/v1.0/identity/conditionalAccess/policies");
        var modes = (await RawEntra.JsonAsync(plain))["value"]!.AsArray().Select(p => p!["sessionControls"]!["continuousAccessEvaluation"]!["mode"]!.GetValue<string>());

        Assert.That(modes, Is.EqualTo(new[] { "unknownFutureValue", "strictEnforcement" }));
    }

    [Test]
    public async Task Revoking_a_users_sessions_is_journaled_for_that_user_and_takes_no_turn_in_the_Conditional_Access_pacing()
    {
        using var bed = new EmulatedClientBed(rateLimited: true, permissions: WithRevocation);
        var alice = bed.Tenant.AddUser("alice@contoso.example");
        var bob = bed.Tenant.AddUser("bob@contoso.example");
        await bed.Client.ListAsync();
        var waitsBefore = bed.Time.Delays.Count;

        await bed.Client.RevokeSignInSessionsAsync(alice.Id);
        await bed.Client.RevokeSignInSessionsAsync("alice@contoso.example");
        var waitsAfterRevocations = bed.Time.Delays.Count;
        await bed.Client.ListAsync();

        Assert.That(bed.Tenant.SessionRevocationCount(alice.Id), Is.EqualTo(2), "by object id and by user principal name");
        Assert.That(bed.Tenant.SessionRevocationCount(bob.Id), Is.Zero);
        Assert.That(waitsAfterRevocations, Is.EqualTo(waitsBefore), "no pacing wait before a revocation");
        Assert.That(bed.Time.Delays, Has.Count.GreaterThan(waitsAfterRevocations), "the next Conditional Access read still waits its turn");
        Assert.That(bed.Emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Is.All.EqualTo(200));
    }

    [Test]
    public void A_missing_user_or_permission_is_ENTRA067_with_the_status_and_Graphs_code()
    {
        using var bed = new EmulatedClientBed(permissions: WithRevocation);
        using var without = new EmulatedClientBed(permissions: GraphPermissions.All);
        var carol = without.Tenant.AddUser("carol@contoso.example");

        var missing = Assert.ThrowsAsync<EntraException>(() => bed.Client.RevokeSignInSessionsAsync("nobody@contoso.example"))!;
        var refused = Assert.ThrowsAsync<EntraException>(() => without.Client.RevokeSignInSessionsAsync(carol.Id))!;

        Assert.That((missing.Code, missing.StatusCode, missing.GraphErrorCode, missing.IsTransient), Is.EqualTo((EntraErrorCode.SessionRevocationFailed, HttpStatusCode.NotFound, "Request_ResourceNotFound", false)));
        Assert.That((refused.Code, refused.StatusCode, refused.GraphErrorCode), Is.EqualTo((EntraErrorCode.SessionRevocationFailed, HttpStatusCode.Forbidden, "AccessDenied")));
        Assert.That(without.Tenant.SessionRevocationCount(carol.Id), Is.Zero);
    }

    [Test]
    public async Task What_If_sends_the_documented_request_and_reads_each_policys_verdict_and_reasons()
    {
        using var bed = new EmulatedClientBed(permissions: GraphPermissions.PolicyReadConditionalAccess);
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32", "203.0.113.7/32"]);
        var countries = bed.Tenant.AddCountryNamedLocation("countries", "NZ");
        var user = bed.Tenant.AddUser("alice@contoso.example");
        bed.Tenant.AddPolicy("block outside knocknoc", "enabled", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("off", "disabled", ["All"], [location.Id]);
        bed.Tenant.AddPolicy("only from NZ", "enabled", [countries.Id]);
        bed.Tenant.AddPolicy("no location condition");

        var results = (await bed.Client.EvaluateAsync(new WhatIfSignIn(user.UserPrincipalName, IPAddress.Parse("198.51.100.4")) { ApplicationId = "app-1" }))
            .ToDictionary(result => result.Policy.DisplayName);

        Assert.That((results["block outside knocknoc"].PolicyApplies, results["block outside knocknoc"].AnalysisReasons), Is.EqualTo((true, (string[])["notSet"])));
        Assert.That((results["off"].PolicyApplies, results["off"].AnalysisReasons), Is.EqualTo((false, (string[])["policyNotEnabled"])));
        Assert.That(results["only from NZ"].NotEnoughInformation, Is.True, "the emulator does not place an address in a country");
        Assert.That(results["only from NZ"].PolicyApplies, Is.False);
        Assert.That(results["no location condition"].PolicyApplies, Is.True);
        var sent = JsonNode.Parse(bed.Emulator.Journal.Single(e => e.Path.EndsWith("/evaluate", StringComparison.Ordinal)).RequestBody!)!;
        Assert.That(sent["signInIdentity"]!["@odata.type"]!.GetValue<string>(), Is.EqualTo("#microsoft.graph.userSignIn"));
        Assert.That(sent["signInIdentity"]!["userId"]!.GetValue<string>(), Is.EqualTo("alice@contoso.example"));
        Assert.That(sent["signInContext"]!["includeApplications"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("app-1"));
        Assert.That(sent["signInConditions"]!["ipAddress"]!.GetValue<string>(), Is.EqualTo("198.51.100.4"));
        Assert.That(sent["appliedPoliciesOnly"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public void What_If_for_an_unknown_user_or_without_permission_is_ENTRA068()
    {
        using var bed = new EmulatedClientBed();
        using var without = new EmulatedClientBed(permissions: GraphPermissions.UserRevokeSessionsAll);
        var user = without.Tenant.AddUser("alice@contoso.example");

        var unknown = Assert.ThrowsAsync<EntraException>(() => bed.Client.EvaluateAsync(new WhatIfSignIn("nobody", IPAddress.Parse("198.51.100.4"))))!;
        var refused = Assert.ThrowsAsync<EntraException>(() => without.Client.EvaluateAsync(new WhatIfSignIn(user.Id, IPAddress.Parse("198.51.100.4"))))!;

        Assert.That((unknown.Code, unknown.StatusCode), Is.EqualTo((EntraErrorCode.WhatIfEvaluationFailed, HttpStatusCode.NotFound)));
        Assert.That((refused.Code, refused.StatusCode), Is.EqualTo((EntraErrorCode.WhatIfEvaluationFailed, HttpStatusCode.Forbidden)));
    }
}
