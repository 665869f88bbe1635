using System.Net;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Testing;
using static Knocknoc.Entra.Sdk.Tests.Emulator.RawEntra;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>Graph's rules for named locations, each by a raw request.</summary>
public class EmulatorGraphRulesTests
{
    private static IEnumerable<TestCaseData> RefusedCreates()
    {
        yield return Refused("""{"displayName":"x","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"192.0.2.1/32"}]}""", "@odata.type", "no @odata.type on the location");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x"}""", "ipRanges is required", "no ipRanges");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[]}""", "at least one range", "empty ipRanges");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"cidrAddress":"192.0.2.1/32"}]}""", "Every range needs its '@odata.type'", "a range without @odata.type");
        yield return Refused(IpLocation("x", "192.0.2.1"), "not a valid CIDR", "a bare address");
        yield return Refused(IpLocation("x", "192.0.2.300/32"), "not a valid CIDR", "a malformed CIDR");
        yield return Refused(IpLocation("x", "10.0.0.0/8"), "too wide", "a /8");
        yield return Refused(IpLocation("x", "2000::/3"), "too wide", "an IPv6 /3");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"2001:db8::1/128"}]}""", "does not match", "a range typed as the wrong family");
        yield return Refused(IpLocation("x", [.. Enumerable.Range(0, 2001).Select(i => $"10.{i / 256}.{i % 256}.0/24")]), "at most 2000", "2001 ranges");
        yield return Refused("""{"@odata.type":"#microsoft.graph.countryNamedLocation","displayName":"x","ipRanges":[]}""", "countries location has no ipRanges", "a country location with ranges");
        yield return Refused(IpLocation(" ", "192.0.2.1/32"), "displayName is required", "no name");
        yield return Refused("not json", "not a JSON object", "a body that is not JSON");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":["192.0.2.1/32"]}""", "must be an object", "ranges as bare strings (the PowerShell mistake)");
        yield return Refused("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":{"cidrAddress":"192.0.2.1/32"}}""", "Cannot convert the value of 'ipRanges'", "ipRanges as an object");
        yield return Refused("""{"@odata.type":7,"displayName":"x"}""", "@odata.type", "a numeric @odata.type");
    }

    [TestCaseSource(nameof(RefusedCreates))]
    public async Task Creates_that_break_Graphs_rules_are_refused_with_400(string body, string reason)
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Post, Locations, body);
        var (status, code, message) = await ErrorAsync(response);
        Assert.That((status, code), Is.EqualTo((HttpStatusCode.BadRequest, "BadRequest")));
        Assert.That(message, Does.Contain(reason));
        Assert.That(entra.Tenant.NamedLocations, Is.Empty, "nothing was written");
    }

    [Test]
    public async Task A_valid_create_is_201_with_the_location_as_written()
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("knocknoc_finance", "12.34.221.11/22", "2001:0:9d38:90d6:0:0:0:0/63"));
        var json = await JsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(json["ipRanges"]!.AsArray().Select(r => r!["cidrAddress"]!.GetValue<string>()), Is.EqualTo(new[] { "12.34.221.11/22", "2001:0:9d38:90d6:0:0:0:0/63" }), "kept as sent, host bits and all");
        Assert.That(json["ipRanges"]![1]!["@odata.type"]!.GetValue<string>(), Is.EqualTo("#microsoft.graph.iPv6CidrRange"));
        Assert.That(json["createdDateTime"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$"));
        Assert.That(entra.Tenant.NamedLocations.Single().DisplayName, Is.EqualTo("knocknoc_finance"));
    }

    [Test]
    public async Task A_PATCH_replaces_the_ranges_and_answers_204()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Time.Advance(TimeSpan.FromSeconds(3));

        using var response = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", """{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.7/32"}]}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        var now = entra.Tenant.FindNamedLocation(location.Id)!;
        Assert.That(now.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That((now.DisplayName, now.ModifiedDateTime - now.CreatedDateTime), Is.EqualTo(("knocknoc_x", TimeSpan.FromSeconds(3))));
    }

    [Test]
    public async Task A_PATCH_without_the_location_type_or_to_a_missing_location_is_refused()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        using var untyped = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", """{"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.7/32"}]}""");
        var absent = Guid.NewGuid().ToString();
        using var missing = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{absent}", IpLocation("x", "203.0.113.7/32"));
        Assert.That((await ErrorAsync(untyped)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ErrorAsync(missing), Is.EqualTo((HttpStatusCode.NotFound, "ResourceNotFound", $"The named location '{absent}' was not found.")));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task A_trusted_location_cannot_be_deleted_an_untrusted_one_can()
    {
        using var entra = new RawEntra();
        var trusted = entra.Tenant.AddIpNamedLocation("trusted", ["192.0.2.0/32"], isTrusted: true);
        var plain = entra.Tenant.AddIpNamedLocation("plain", ["192.0.2.1/32"]);

        using var refused = await entra.SendAsync(HttpMethod.Delete, $"{Locations}/{trusted.Id}");
        using var deleted = await entra.SendAsync(HttpMethod.Delete, $"{Locations}/{plain.Id}");
        using var gone = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{plain.Id}");

        Assert.That((await ErrorAsync(refused)).Message, Does.Contain("cannot be deleted"));
        Assert.That((deleted.StatusCode, gone.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
        Assert.That(entra.Tenant.NamedLocations.Select(l => l.DisplayName), Is.EqualTo(new[] { "trusted" }));
    }

    [Test]
    public async Task A_tenant_holds_a_bounded_number_of_locations()
    {
        using var entra = new RawEntra(o => o.MaxNamedLocations = 2);
        using var first = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("a", "192.0.2.1/32"));
        using var second = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("b", "192.0.2.2/32"));
        using var third = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("c", "192.0.2.3/32"));
        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
        Assert.That((await ErrorAsync(third)).Message, Does.Contain("maximum of 2"));
    }

    [Test]
    public async Task Lists_page_with_next_links_and_filter_by_type()
    {
        using var entra = new RawEntra(o => o.PageSize = 2);
        for (var i = 0; i < 3; i++)
        {
            entra.Tenant.AddIpNamedLocation($"ip{i}", [$"192.0.2.{i}/32"]);
        }

        entra.Tenant.AddCountryNamedLocation("nz", "NZ");
        var names = new List<string>();
        string? next = $"{Locations}?$filter=isof('microsoft.graph.ipNamedLocation')";
        var token = await entra.TokenAsync();
        while (next is not null)
        {
            using var response = await entra.SendAsync(HttpMethod.Get, next, token: token);
            var page = await JsonAsync(response);
            names.AddRange(page["value"]!.AsArray().Select(l => l!["displayName"]!.GetValue<string>()));
            next = page["@odata.nextLink"]?.GetValue<string>() is { } link ? new Uri(link).PathAndQuery : null;
        }

        Assert.That(names, Is.EqualTo(new[] { "ip0", "ip1", "ip2" }));
        using var unsupported = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$filter=ipRanges/any(r: r/cidrAddress eq 'x')", token: token);
        Assert.That(unsupported.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("2147483647", HttpStatusCode.OK)]
    [TestCase("-5", HttpStatusCode.BadRequest)]
    [TestCase("abc", HttpStatusCode.BadRequest)]
    public async Task Hostile_skip_tokens_neither_loop_nor_throw(string skipToken, HttpStatusCode expected)
    {
        using var entra = new RawEntra(o => o.PageSize = 2);
        for (var i = 0; i < 3; i++)
        {
            entra.Tenant.AddIpNamedLocation($"ip{i}", [$"192.0.2.{i}/32"]);
        }

        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$skiptoken={skipToken}");
        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.OK)
        {
            var page = await JsonAsync(response);
            Assert.That((page["value"]!.AsArray().Count, page["@odata.nextLink"]), Is.EqualTo((0, (JsonNode?)null)));
        }
    }

    [Test]
    public async Task Tokens_are_for_this_Graph_only()
    {
        using var entra = new RawEntra();
        using var otherResource = await entra.RequestTokenAsync(scope: "https://management.azure.com/.default");
        var refusal = await JsonAsync(otherResource);
        Assert.That((otherResource.StatusCode, refusal["error"]!.GetValue<string>(), refusal["error_codes"]![0]!.GetValue<int>()), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_resource", 500011)));

        var token = await entra.TokenAsync();
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, $"https://graph.other.test{Locations}");
        elsewhere.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var refused = await entra.Http.SendAsync(elsewhere);
        Assert.That((await ErrorAsync(refused)).Message, Is.EqualTo("Access token validation failure. Invalid audience."));
    }

    [Test]
    public async Task A_token_path_without_a_tenant_is_refused()
    {
        using var entra = new RawEntra();
        using var response = await entra.Http.PostAsync(new Uri(EntraEmulator.AuthorityHost, "/oauth2/v2.0/token"), new FormUrlEncodedContent([]));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await JsonAsync(response))["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task Select_returns_only_the_chosen_properties_and_unknown_options_are_refused()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var token = await entra.TokenAsync();
        using var one = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{location.Id}?$select=displayName", token: token);
        using var page = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$select=id,ipRanges", token: token);
        using var expand = await entra.SendAsync(HttpMethod.Get, $"{Locations}?$expand=foo", token: token);

        Assert.That((await JsonAsync(one)).AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "@odata.context", "@odata.type", "id", "displayName" }));
        var item = (await JsonAsync(page))["value"]![0]!.AsObject();
        Assert.That(item.Select(p => p.Key), Is.EquivalentTo(new[] { "@odata.type", "id", "ipRanges" }));
        Assert.That((await ErrorAsync(expand)).Message, Does.Contain("'$expand' is not supported"));
    }

    [Test]
    public async Task Reads_can_be_made_to_need_Policy_Read_All()
    {
        using var entra = new RawEntra(o => o.ReadsNeedPolicyRead = true, GraphPermissions.PolicyReadWriteConditionalAccess);
        using var read = await entra.SendAsync(HttpMethod.Get, Locations);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Policies_list_with_their_location_conditions()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Tenant.AddPolicy("Block outside", "enabledForReportingButNotEnforced", ["All"], [location.Id]);
        entra.Tenant.AddPolicy("No locations", "disabled");
        using var response = await entra.SendAsync(HttpMethod.Get, "/v1.0/identity/conditionalAccess/policies");
        var value = (await JsonAsync(response))["value"]!.AsArray();
        Assert.That(value[0]!["conditions"]!["locations"]!["excludeLocations"]![0]!.GetValue<string>(), Is.EqualTo(location.Id));
        Assert.That(value[1]!["conditions"]!["locations"], Is.Null);
        Assert.That(value[0]!["state"]!.GetValue<string>(), Is.EqualTo("enabledForReportingButNotEnforced"));
    }

    [TestCase(GraphPermissions.None, false, false)]
    [TestCase(GraphPermissions.PolicyReadAll, true, false)]
    [TestCase(GraphPermissions.PolicyReadWriteConditionalAccess, true, false)]
    [TestCase(GraphPermissions.All, true, true)]
    public async Task Permissions_decide_reads_and_writes(GraphPermissions permissions, bool reads, bool writes)
    {
        using var entra = new RawEntra(permissions: permissions);
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        using var read = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{location.Id}");
        using var write = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", IpLocation("knocknoc_x", "203.0.113.1/32"));
        Assert.That(read.StatusCode, Is.EqualTo(reads ? HttpStatusCode.OK : HttpStatusCode.Forbidden));
        Assert.That(write.StatusCode, Is.EqualTo(writes ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden));
        if (!writes)
        {
            Assert.That((await ErrorAsync(write)).Code, Is.EqualTo("AccessDenied"));
        }
    }

    [Test]
    public async Task Missing_forged_and_expired_tokens_are_401()
    {
        using var entra = new RawEntra();
        var token = await entra.TokenAsync();
        using var forged = await entra.SendAsync(HttpMethod.Get, Locations, token: "emu.forged");
        entra.Time.Advance(TimeSpan.FromHours(1));
        using var expired = await entra.SendAsync(HttpMethod.Get, Locations, token: token);

        Assert.That(await ErrorAsync(forged), Is.EqualTo((HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")));
        Assert.That((await ErrorAsync(expired)).Message, Is.EqualTo("Access token has expired or is not yet valid."));
        Assert.That(expired.Headers.WwwAuthenticate, Is.Not.Empty);
    }

    [Test]
    public async Task Errors_have_Graphs_shape_and_echo_the_client_request_id()
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}/missing");
        var error = (await JsonAsync(response))["error"]!;
        Assert.That(error["innerError"]!["client-request-id"]!.GetValue<string>(), Is.EqualTo("crid-1"));
        Assert.That(response.Headers.GetValues("request-id").Single(), Is.EqualTo(error["innerError"]!["request-id"]!.GetValue<string>()));
    }

    private static TestCaseData Refused(string body, string reason, string name) => new TestCaseData(body, reason).SetName($"Create refused: {name}");
}
