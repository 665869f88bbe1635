using System.Net;
using System.Text;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Exact request shapes, and what Graph's answers read as.</summary>
public class NamedLocationClientRequestTests
{
    private const string LocationId = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

    [Test]
    public async Task A_PATCH_carries_the_location_type_every_range_type_and_ipRanges_only()
    {
        using var bed = new GraphTestBed();
        string? body = null;
        HttpRequestMessage? seen = null;
        bed.Mock.Expect(HttpMethod.Patch, $"{Locations}/{LocationId}").Respond(async request =>
        {
            seen = request;
            body = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        });

        await bed.Client.UpdateIpRangesAsync(LocationId, [Cidr.Parse("203.0.113.6/31"), Cidr.Parse("2001:db8::1/128")]);

        bed.Mock.VerifyNoOutstandingExpectation();
        Assert.That(body, Is.EqualTo(
            """{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.6/31"},{"@odata.type":"#microsoft.graph.iPv6CidrRange","cidrAddress":"2001:db8::1/128"}]}"""));
        Assert.That(seen!.Headers.Authorization?.ToString(), Is.EqualTo($"Bearer {Token}"));
        Assert.That(seen.Content!.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(Guid.TryParse(seen.Headers.GetValues("client-request-id").Single(), out _), Is.True);
        Assert.That(seen.Headers.Accept.ToString(), Is.EqualTo("application/json"));
    }

    [Test]
    public async Task A_create_POSTs_name_trust_and_ranges_and_reads_the_201()
    {
        using var bed = new GraphTestBed();
        string? body = null;
        bed.Mock.Expect(HttpMethod.Post, Locations).Respond(async request =>
        {
            body = await request.Content!.ReadAsStringAsync();
            return JsonResponse(HttpStatusCode.Created, $$"""{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"{{LocationId}}","displayName":"knocknoc_finance","isTrusted":true,"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"192.0.2.0/32"}]}""");
        });

        var created = await bed.Client.CreateIpAsync("knocknoc_finance", [Cidr.Parse("192.0.2.0/32")], isTrusted: true);

        Assert.That(body, Is.EqualTo("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"knocknoc_finance","isTrusted":true,"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"192.0.2.0/32"}]}"""));
        Assert.That((created.Id, created.DisplayName, created.IsTrusted), Is.EqualTo((LocationId, "knocknoc_finance", true)));
    }

    [Test]
    public async Task A_GET_reads_what_people_type_in_the_portal()
    {
        using var bed = new GraphTestBed();
        bed.Mock.Expect(HttpMethod.Get, $"{Locations}/{LocationId}").Respond(_ => JsonResponse(HttpStatusCode.OK, $$"""
            {
              "displayName": "Knocknoc Authenticated Users",
              "unknownFutureProperty": {"nested": [1, 2, 3]},
              "@odata.type": "#microsoft.graph.ipNamedLocation",
              "id": "{{LocationId}}",
              "createdDateTime": "2019-09-04T01:11:34.9387578Z",
              "modifiedDateTime": "2019-09-04T01:11:34Z",
              "isTrusted": true,
              "ipRanges": [
                { "@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "12.34.221.11/22" },
                { "cidrAddress": "2001:0:9d38:90d6:0:0:0:0/63", "@odata.type": "#microsoft.graph.iPv6CidrRange" },
                { "@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.7/32" },
                { "@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.7\u002F32" }
              ]
            }
            """));

        var location = await bed.Client.GetIpAsync(LocationId);

        Assert.That(location.IpRanges.Select(c => c.ToString()), Is.EqualTo(new[] { "12.34.220.0/22", "2001:0:9d38:90d6::/63", "203.0.113.7/32", "203.0.113.7/32" }));
        Assert.That(location.ToSet().RangeCount, Is.EqualTo(3));
        Assert.That(location.CreatedDateTime, Is.EqualTo(new DateTimeOffset(2019, 9, 4, 1, 11, 34, TimeSpan.Zero).AddTicks(9387578)));
        Assert.That(location.ModifiedDateTime, Is.EqualTo(new DateTimeOffset(2019, 9, 4, 1, 11, 34, TimeSpan.Zero)));
        Assert.That((location.DisplayName, location.IsTrusted), Is.EqualTo(("Knocknoc Authenticated Users", true)));
    }

    [Test]
    public async Task A_country_location_reads_as_one_and_is_refused_as_an_IP_location_with_ENTRA053()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When(HttpMethod.Get, $"{Locations}/{LocationId}").Respond(_ => JsonResponse(HttpStatusCode.OK, $$"""
            {"@odata.type":"#microsoft.graph.countryNamedLocation","id":"{{LocationId}}","displayName":"NZ","countriesAndRegions":["NZ","AU"],"includeUnknownCountriesAndRegions":false,"countryLookupMethod":"clientIpAddress"}
            """));

        var location = await bed.Client.GetAsync(LocationId);
        Assert.That(location, Is.TypeOf<CountryNamedLocation>());
        Assert.That(((CountryNamedLocation)location).CountriesAndRegions, Is.EqualTo(new[] { "NZ", "AU" }));
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetIpAsync(LocationId));
        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.NotAnIpNamedLocation));
        Assert.That(error.Message, Does.StartWith("(agent error #ENTRA053) Entra Named Location is not an IP-based location."));
    }

    [Test]
    public async Task List_follows_next_page_links()
    {
        using var bed = new GraphTestBed();
        bed.Mock.Expect(HttpMethod.Get, Locations).Respond(_ => JsonResponse(HttpStatusCode.OK, $$"""
            {"value":[{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"a","displayName":"A","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}],
             "@odata.nextLink":"{{Locations}}?$skiptoken=page2"}
            """));
        bed.Mock.Expect(HttpMethod.Get, $"{Locations}?$skiptoken=page2").Respond(_ => JsonResponse(HttpStatusCode.OK, """
            {"value":[{"@odata.type":"#microsoft.graph.countryNamedLocation","id":"b","displayName":"B","countriesAndRegions":["NZ"]}]}
            """));

        var locations = await bed.Client.ListAsync();

        bed.Mock.VerifyNoOutstandingExpectation();
        Assert.That(locations.Select(l => (l.Id, l.GetType().Name)), Is.EqualTo(new[] { ("a", nameof(IpNamedLocation)), ("b", nameof(CountryNamedLocation)) }));
    }

    [Test]
    public void A_next_page_link_to_another_host_never_gets_the_token()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When(HttpMethod.Get, Locations).Respond(_ => JsonResponse(HttpStatusCode.OK, """{"value":[],"@odata.nextLink":"https://evil.test/steal"}"""));
        var evil = bed.Mock.When("https://evil.test/*").Respond(HttpStatusCode.OK);

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.ListAsync());

        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.UnexpectedResponse));
        Assert.That(bed.Mock.GetMatchCount(evil), Is.Zero);
    }

    [Test]
    public async Task Delete_sends_DELETE_to_the_location()
    {
        using var bed = new GraphTestBed();
        bed.Mock.Expect(HttpMethod.Delete, $"{Locations}/{LocationId}").Respond(HttpStatusCode.NoContent);
        await bed.Client.DeleteAsync(LocationId);
        bed.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task Policies_read_their_state_and_location_conditions()
    {
        using var bed = new GraphTestBed();
        bed.Mock.Expect(HttpMethod.Get, Policies).Respond(_ => JsonResponse(HttpStatusCode.OK, """
            {"value":[
              {"id":"p1","displayName":"Block outside Knocknoc","state":"enabled","conditions":{"locations":{"includeLocations":["All"],"excludeLocations":["LOCATION_ID"]}}},
              {"id":"p2","displayName":"Report only","state":"enabledForReportingButNotEnforced","conditions":{"locations":null}},
              {"id":"p3","displayName":"Off","state":"disabled","conditions":{}}
            ]}
            """.Replace("LOCATION_ID", LocationId, StringComparison.Ordinal)));

        var policies = await bed.Client.ListPoliciesAsync();

        Assert.That(policies.Select(p => p.State), Is.EqualTo(new[]
        {
            ConditionalAccessPolicyState.Enabled, ConditionalAccessPolicyState.EnabledForReportingButNotEnforced, ConditionalAccessPolicyState.Disabled,
        }));
        Assert.That(policies.Select(p => p.References(LocationId)), Is.EqualTo(new[] { true, false, false }));
        Assert.That(policies[0].IncludeLocations, Is.EqualTo(new[] { "All" }));
    }

    [TestCase(0)]
    [TestCase(2001)]
    public void Range_counts_Graph_refuses_are_refused_before_any_request(int count)
    {
        using var bed = new GraphTestBed();
        var ranges = Enumerable.Range(0, count).Select(i => Cidr.Parse($"10.{i / 256}.{i % 256}.0/24")).ToArray();
        Assert.ThrowsAsync<ArgumentException>(() => bed.Client.UpdateIpRangesAsync(LocationId, ranges));
        Assert.That(bed.TokenRequests, Is.Zero);
    }

    [TestCase("0.0.0.0/0")]
    [TestCase("10.0.0.0/8")]
    [TestCase("::/0")]
    [TestCase("2000::/8")]
    public void Ranges_of_8_bits_or_wider_are_refused_before_any_request(string wide)
    {
        using var bed = new GraphTestBed();
        var error = Assert.ThrowsAsync<ArgumentException>(() => bed.Client.UpdateIpRangesAsync(LocationId, [Cidr.Parse("192.0.2.0/32"), Cidr.Parse(wide)]));
        Assert.That(error!.Message, Does.Contain(wide));
        Assert.That(bed.TokenRequests, Is.Zero);
    }

    [Test]
    public void Ids_are_escaped_into_the_path()
    {
        using var bed = new GraphTestBed();
        var probe = bed.Mock.When($"{Locations}/a%2F..%2Fpolicies").Respond(HttpStatusCode.NotFound);
        Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync("a/../policies"));
        Assert.That(bed.Mock.GetMatchCount(probe), Is.EqualTo(1));
    }

    [Test]
    public void Request_bodies_are_UTF8_JSON()
    {
        using var content = Knocknoc.Entra.Sdk.Graph.Wire.GraphRequestBodies.UpdateIpRanges([Cidr.Parse("192.0.2.0/32")]);
        Assert.That(Encoding.UTF8.GetString(content.Body.Span), Does.StartWith("""{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRanges":["""));
    }
}
