using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing.Rules;
using static Knocknoc.Entra.Sdk.Tests.Emulator.RawEntra;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>Bodies are read as Graph reads them: JSON only, the type's properties only, of their types, ranges in strict CIDR text.</summary>
public class EmulatorStrictBodyTests
{
    [TestCase("12.34.221.11/22", Description = "host bits set, as Graph's own sample")]
    [TestCase("192.0.2.0/32")]
    [TestCase("0.0.0.0/9")]
    [TestCase("2001:0:9d38:90d6:0:0:0:0/63", Description = "uncompressed")]
    [TestCase("2001:DB8::1/128", Description = "upper case")]
    [TestCase("::ffff:192.0.2.1/128", Description = "an IPv4 tail")]
    [TestCase("1:2:3:4:5:6:7::/128", Description = ":: for one group")]
    [TestCase("2001:db8::/32")]
    public async Task Strict_CIDR_text_is_accepted_as_written(string range)
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", range));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(entra.Tenant.NamedLocations.Single().IpRanges, Is.EqualTo(new[] { range }));
    }

    [TestCase("192.0.2.1", "range-cidr")]
    [TestCase("192.0.2/24", "range-cidr")]
    [TestCase("192.0.2.256/32", "range-cidr")]
    [TestCase("192.0.2.1/33", "range-cidr")]
    [TestCase("192.0.2.1/", "range-cidr")]
    [TestCase("192.0.2.1/+24", "range-cidr")]
    [TestCase("192.0.2.1/24/24", "range-cidr")]
    [TestCase("2001:db8::1/129", "range-cidr")]
    [TestCase("2001:db8:::1/128", "range-cidr")]
    [TestCase("1::2::3/64", "range-cidr")]
    [TestCase("2001:db8::g/64", "range-cidr")]
    [TestCase("1:2:3:4:5:6:7:8:9/128", "range-cidr")]
    [TestCase("1:2:3:4:5:6:7/128", "range-cidr")]
    [TestCase("[2001:db8::1]/128", "range-cidr")]
    [TestCase(" 203.0.113.9/32 ", "range-text")]
    [TestCase("203.0.113.9 /32", "range-text")]
    [TestCase("203.0.113.9/32\n", "range-text")]
    [TestCase("010.0.0.1/32", "range-text")]
    [TestCase("192.0.2.1/032", "range-text")]
    [TestCase("fe80::1%eth0/128", "range-text")]
    public async Task Loose_or_malformed_CIDR_text_is_refused(string range, string rule)
    {
        using var entra = new RawEntra();
        using var response = await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", range));
        Assert.That((response.StatusCode, response.Headers.GetValues(EmulatorRule.Header).Single()), Is.EqualTo((HttpStatusCode.BadRequest, rule)));
        Assert.That(entra.Tenant.NamedLocations, Is.Empty);
    }

    [Test]
    public void The_emulator_refuses_text_the_SDKs_lenient_parser_accepts_so_its_check_is_not_circular()
    {
        Assert.That(Cidr.TryParseLenient(" 203.0.113.9/32 ", out _, out _), Is.True, "the SDK tolerates what a person pastes");
    }

    [TestCase(null, HttpStatusCode.BadRequest)]
    [TestCase("text/plain", HttpStatusCode.BadRequest)]
    [TestCase("application/x-www-form-urlencoded", HttpStatusCode.BadRequest)]
    [TestCase("application/json", HttpStatusCode.NoContent)]
    [TestCase("application/json; charset=utf-8", HttpStatusCode.NoContent)]
    [TestCase("application/json;odata.metadata=minimal", HttpStatusCode.NoContent)]
    public async Task A_PATCH_is_applied_only_when_sent_as_JSON(string? mediaType, HttpStatusCode expected)
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        using var response = await EmulatorRuleCatalogueTests.SendTextAsync(entra, HttpMethod.Patch, $"{Locations}/{location.Id}", IpLocation("knocknoc_x", "203.0.113.7/32"), mediaType);
        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IpRanges.Single(), Is.EqualTo(expected == HttpStatusCode.NoContent ? "203.0.113.7/32" : "192.0.2.0/32"));
    }

    private static IEnumerable<TestCaseData> RefusedPatches()
    {
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","foo":"bar"}""", "unknown-property", "'foo' does not exist on type 'microsoft.graph.ipNamedLocation'", "an unknown property");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","IpRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.7/32"}]}""", "unknown-property", "'IpRanges'", "a wrongly cased ipRanges");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRange":[]}""", "unknown-property", "'ipRange'", "a misspelt ipRanges");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"203.0.113.7/32","comment":"x"}]}""", "unknown-property", "'comment' does not exist on type 'microsoft.graph.iPv4CidrRange'", "an unknown range property");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","countriesAndRegions":["NZ"]}""", "unknown-property", "'countriesAndRegions'", "a countries property on an IP location");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","isTrusted":"yes"}""", "property-type", "Edm.Boolean", "isTrusted as a string");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","isTrusted":null}""", "property-type", "Edm.Boolean", "isTrusted null");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":7}""", "property-type", "Edm.String", "displayName as a number");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":3405803783}]}""", "property-type", "cidrAddress", "a range as a number");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":""}""", "display-name", "displayName", "an empty displayName");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"  "}""", "display-name", "displayName", "a blank displayName");
        yield return Patch("""{"@odata.type":"#microsoft.graph.ipNamedLocation","isTrusted":true,"isTrusted":false}""", "body", "not a JSON object", "a property twice");
    }

    [TestCaseSource(nameof(RefusedPatches))]
    public async Task A_PATCH_Graph_cannot_read_against_the_type_is_refused_and_changes_nothing(string body, string rule, string message)
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        using var response = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", body);
        var (status, code, text) = await ErrorAsync(response);
        Assert.That((status, code, response.Headers.GetValues(EmulatorRule.Header).Single()), Is.EqualTo((HttpStatusCode.BadRequest, "BadRequest", rule)));
        Assert.That(text, Does.Contain(message));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id), Is.EqualTo(location));
    }

    [Test]
    public async Task Read_only_properties_echoed_from_a_read_and_annotations_are_accepted()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        using var response = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", $$"""{"@odata.type":"#microsoft.graph.ipNamedLocation","@odata.context":"x","id":"{{location.Id}}","createdDateTime":"2019-09-04T01:11:34.9387578Z","isTrusted":true}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IsTrusted, Is.True);
    }

    private static TestCaseData Patch(string body, string rule, string message, string name) =>
        new TestCaseData(body, rule, message).SetName($"PATCH refused: {name}");
}
