using System.Net;
using System.Text.Json.Nodes;
using static Knocknoc.Entra.Sdk.Tests.Emulator.RawEntra;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The shapes of Graph's answers and requests a client written for Graph meets: context, headers, key syntax, filters, full policies.</summary>
public class EmulatorShapeTests
{
    private const string Context = "https://graph.entra-emulator.test/v1.0/$metadata#identity/conditionalAccess/";

    [Test]
    public async Task Created_read_and_listed_answers_carry_OData_context_and_version()
    {
        using var entra = new RawEntra();
        entra.Tenant.AddPolicy("p");
        var token = await entra.TokenAsync();
        using var created = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "192.0.2.1/32"), token);
        var id = (await JsonAsync(created))["id"]!.GetValue<string>();
        using var read = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{id}", token: token);
        using var listed = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        using var policies = await entra.SendAsync(HttpMethod.Get, "/v1.0/identity/conditionalAccess/policies", token: token);

        Assert.That((await JsonAsync(created))["@odata.context"]!.GetValue<string>(), Is.EqualTo(Context + "namedLocations/$entity"));
        Assert.That((await JsonAsync(read))["@odata.context"]!.GetValue<string>(), Is.EqualTo(Context + "namedLocations/$entity"));
        Assert.That((await JsonAsync(listed))["@odata.context"]!.GetValue<string>(), Is.EqualTo(Context + "namedLocations"));
        Assert.That((await JsonAsync(policies))["@odata.context"]!.GetValue<string>(), Is.EqualTo(Context + "policies"));
        Assert.That(new[] { created, read, listed, policies }.Select(r => r.Headers.GetValues("OData-Version").Single()), Has.All.EqualTo("4.0"));
    }

    [TestCase("/beta/identity/conditionalAccess/namedLocations")]
    [TestCase("/v2.0/identity/conditionalAccess/namedLocations")]
    [TestCase("/")]
    public async Task Another_API_version_gets_Graphs_error_body_not_an_empty_404(string path)
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Get, path);
        var (status, code, message) = await ErrorAsync(response);
        Assert.That((status, code), Is.EqualTo((HttpStatusCode.BadRequest, "BadRequest")));
        Assert.That(message, Does.Contain("v1.0"));
        Assert.That((await JsonAsync(response))["error"]!["innerError"]!["client-request-id"]!.GetValue<string>(), Is.EqualTo("crid-1"));
    }

    [Test]
    public async Task ODatas_key_syntax_addresses_a_location_as_the_path_segment_does()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var token = await entra.TokenAsync();
        using var read = await entra.SendAsync(HttpMethod.Get, $"{Locations}('{location.Id}')", token: token);
        using var patched = await entra.SendAsync(HttpMethod.Patch, $"{Locations}('{location.Id}')", IpLocation("knocknoc_x", "203.0.113.7/32"), token);
        using var missing = await entra.SendAsync(HttpMethod.Get, $"{Locations}('absent')", token: token);

        Assert.That((await JsonAsync(read))["id"]!.GetValue<string>(), Is.EqualTo(location.Id));
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IpRanges.Single(), Is.EqualTo("203.0.113.7/32"));
        Assert.That(await ErrorAsync(missing), Is.EqualTo((HttpStatusCode.NotFound, "ResourceNotFound", "The named location 'absent' was not found.")));
    }

    [TestCase("displayName eq 'knocknoc_finance'", new[] { "knocknoc_finance" })]
    [TestCase("displayName eq 'KNOCKNOC_FINANCE'", new[] { "knocknoc_finance" })]
    [TestCase("startswith(displayName,'knocknoc_')", new[] { "knocknoc_finance", "knocknoc_it", "knocknoc_nz" })]
    [TestCase("startswith(displayName, 'knocknoc_') and isof('microsoft.graph.ipNamedLocation')", new[] { "knocknoc_finance", "knocknoc_it" })]
    [TestCase("isof('microsoft.graph.countryNamedLocation')", new[] { "knocknoc_nz" })]
    [TestCase("displayName eq 'o''brien'", new[] { "o'brien" })]
    [TestCase("displayName eq 'nobody'", new string[0])]
    public async Task Common_filters_select_locations(string filter, string[] expected)
    {
        using var entra = new RawEntra();
        entra.Tenant.AddIpNamedLocation("knocknoc_finance", ["192.0.2.0/32"]);
        entra.Tenant.AddIpNamedLocation("knocknoc_it", ["192.0.2.1/32"]);
        entra.Tenant.AddIpNamedLocation("o'brien", ["192.0.2.2/32"]);
        entra.Tenant.AddCountryNamedLocation("knocknoc_nz", "NZ");
        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$filter={Uri.EscapeDataString(filter)}");
        var names = (await JsonAsync(response))["value"]!.AsArray().Select(l => l!["displayName"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(expected));
    }

    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("")]
    public async Task A_top_that_is_not_a_positive_whole_number_is_refused(string top)
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$top={top}");
        var (status, code, _) = await ErrorAsync(response);
        Assert.That((status, code), Is.EqualTo((HttpStatusCode.BadRequest, "BadRequest")));
    }

    [Test]
    public async Task Policies_carry_every_property_of_a_real_one_most_of_them_null_or_empty()
    {
        using var entra = new RawEntra();
        entra.Tenant.AddPolicy("plain", "disabled");
        entra.Tenant.AddPolicy("cae", "enabled", ["All"], ["AllTrusted"], continuousAccessEvaluationMode: "strictEnforcement");
        using var response = await entra.SendAsync(HttpMethod.Get, "/v1.0/identity/conditionalAccess/policies");
        var value = (await JsonAsync(response))["value"]!.AsArray();
        var plain = value[0]!.AsObject();
        var cae = value[1]!.AsObject();

        Assert.That(plain.Select(p => p.Key), Is.SupersetOf(new[] { "id", "templateId", "displayName", "createdDateTime", "modifiedDateTime", "state", "conditions", "grantControls", "sessionControls" }));
        Assert.That((plain["templateId"], plain["modifiedDateTime"], plain["sessionControls"], plain["conditions"]!["locations"]), Is.EqualTo(((JsonNode?)null, (JsonNode?)null, (JsonNode?)null, (JsonNode?)null)));
        Assert.That(plain["conditions"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "users", "applications", "clientAppTypes", "platforms", "locations" }));
        Assert.That(plain["conditions"]!["users"]!["includeUsers"]![0]!.GetValue<string>(), Is.EqualTo("All"));
        Assert.That(plain["grantControls"]!["builtInControls"]![0]!.GetValue<string>(), Is.EqualTo("block"));
        Assert.That(cae["sessionControls"]!["continuousAccessEvaluation"]!["mode"]!.GetValue<string>(), Is.EqualTo("strictEnforcement"));
        Assert.That(cae["sessionControls"]!.AsObject().ContainsKey("signInFrequency"), Is.True);
        Assert.That(cae["sessionControls"]!["signInFrequency"], Is.Null);
    }

    [Test]
    public async Task A_location_a_policy_uses_cannot_be_deleted_until_the_policy_lets_go()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var policy = entra.Tenant.AddPolicy("Block outside", "enabled", ["All"], [location.Id]);
        var token = await entra.TokenAsync();
        using var refused = await entra.SendAsync(HttpMethod.Delete, $"{Locations}/{location.Id}", token: token);
        Assert.That(entra.Tenant.RemovePolicy(policy.Id), Is.True);
        using var deleted = await entra.SendAsync(HttpMethod.Delete, $"{Locations}/{location.Id}", token: token);

        Assert.That((await ErrorAsync(refused)).Message, Does.Contain(policy.Id));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(entra.Tenant.NamedLocations, Is.Empty);
    }
}
