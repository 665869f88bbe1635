using System.Text;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Testing.Rules;
using static Knocknoc.Entra.Sdk.Tests.Emulator.RawEntra;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>
/// Every rule of <see cref="EntraEmulator.Rules"/> is enforced: one request breaking it is refused, and the refusal
/// names that rule. A rule in the catalogue without a refusing request here, or an example for a rule that is not in
/// the catalogue, fails.
/// </summary>
public class EmulatorRuleCatalogueTests
{
    private const string Ipv4 = "#microsoft.graph.iPv4CidrRange";

    private static IEnumerable<TestCaseData> Rules() =>
        ExampleRequests().Select(e => new TestCaseData(e.Rule).SetName($"Rule {e.Rule}"));

    private static IEnumerable<RuleExample> ExampleRequests()
    {
        yield return Example("token-method", entra => entra.Http.GetAsync(TokenUri(entra)));
        yield return Example("token-tenant", entra => entra.RequestTokenAsync(tenant: "contoso.example"));
        yield return Example("token-grant", entra => entra.Http.PostAsync(TokenUri(entra), Form(("grant_type", "password"))));
        yield return Example("token-client", entra => entra.RequestTokenAsync(clientId: "00000000-1111-2222-3333-444444444444"));
        yield return Example("token-credential", entra => entra.RequestTokenAsync(secret: "not-the-secret"));
        yield return Example("token-scope", entra => entra.RequestTokenAsync(scope: "https://graph.microsoft.com/Policy.Read.All"));
        yield return Example("token-resource", entra => entra.RequestTokenAsync(scope: "https://management.azure.com/.default"));
        yield return Example("authentication", entra => entra.SendAsync(HttpMethod.Get, Locations, token: "emu.forged"));
        yield return Example("permission", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "192.0.2.1/32")), permissions: GraphPermissions.PolicyReadAll);
        yield return Example("rate-limit", async entra =>
        {
            var token = await entra.TokenAsync();
            (await entra.SendAsync(HttpMethod.Get, Locations, token: token)).Dispose();
            return await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        }, o => o.RateLimitInterval = TimeSpan.FromSeconds(1));
        yield return Example("api-version", entra => entra.SendAsync(HttpMethod.Get, "/beta/identity/conditionalAccess/namedLocations"));
        yield return Example("segment", entra => entra.SendAsync(HttpMethod.Get, "/v1.0/me"));
        yield return Example("method", entra => entra.SendAsync(HttpMethod.Put, $"{Locations}/{Existing(entra)}", IpLocation("x", "192.0.2.1/32")));
        yield return Example("query-option", entra => entra.SendAsync(HttpMethod.Get, $"{Locations}?$expand=foo"));
        yield return Example("query-top", entra => entra.SendAsync(HttpMethod.Get, $"{Locations}?$top=abc"));
        yield return Example("query-filter", entra => entra.SendAsync(HttpMethod.Get, $"{Locations}?$filter=isTrusted eq true"));
        yield return Example("query-skiptoken", entra => entra.SendAsync(HttpMethod.Get, $"{Locations}?$skiptoken=-5"));
        yield return Example("not-found", entra => entra.SendAsync(HttpMethod.Get, $"{Locations}/00000000-1111-2222-3333-444444444444"));
        yield return Example("content-type", entra => SendTextAsync(entra, HttpMethod.Patch, $"{Locations}/{Existing(entra)}", IpLocation("x", "192.0.2.1/32"), "text/plain"));
        yield return Example("body", entra => entra.SendAsync(HttpMethod.Post, Locations, "[1, 2]"));
        yield return Example("location-type", entra => entra.SendAsync(HttpMethod.Patch, $"{Locations}/{Existing(entra)}", """{"displayName":"x"}"""));
        yield return Example("unknown-property", entra => entra.SendAsync(HttpMethod.Patch, $"{Locations}/{Existing(entra)}", """{"@odata.type":"#microsoft.graph.ipNamedLocation","foo":1}"""));
        yield return Example("property-type", entra => entra.SendAsync(HttpMethod.Patch, $"{Locations}/{Existing(entra)}", """{"@odata.type":"#microsoft.graph.ipNamedLocation","isTrusted":"yes"}"""));
        yield return Example("display-name", entra => entra.SendAsync(HttpMethod.Patch, $"{Locations}/{Existing(entra)}", """{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":""}"""));
        yield return Example("ip-ranges", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x")));
        yield return Example("ip-ranges-limit", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32")), o => o.MaxIpRanges = 2);
        yield return Example("range-type", entra => entra.SendAsync(HttpMethod.Post, Locations, """{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"cidrAddress":"192.0.2.1/32"}]}"""));
        yield return Example("range-cidr", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "192.0.2.1")));
        yield return Example("range-text", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", " 203.0.113.9/32 ")));
        yield return Example("range-family", entra => entra.SendAsync(HttpMethod.Post, Locations, $$"""{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"@odata.type":"{{Ipv4}}","cidrAddress":"2001:db8::1/128"}]}"""));
        yield return Example("range-prefix", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "10.0.0.0/8")));
        yield return Example("country-ranges", entra => entra.SendAsync(HttpMethod.Post, Locations, """{"@odata.type":"#microsoft.graph.countryNamedLocation","displayName":"x","ipRanges":[]}"""));
        yield return Example("location-limit", entra => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("x", "192.0.2.1/32")), o => o.MaxNamedLocations = 1);
        yield return Example("trusted-delete", entra => entra.SendAsync(HttpMethod.Delete, $"{Locations}/{entra.Tenant.NamedLocations.Single(l => l.IsTrusted).Id}"))
            with { Arrange = entra => entra.Tenant.AddIpNamedLocation("trusted", ["192.0.2.0/32"], isTrusted: true) };
        yield return Example("referenced-delete", entra => entra.SendAsync(HttpMethod.Delete, $"{Locations}/{Existing(entra)}"))
            with { Arrange = entra => entra.Tenant.AddPolicy("uses it", "enabled", ["All"], [Existing(entra)]) };
        yield return Example("user-not-found", entra => entra.SendAsync(HttpMethod.Post, "/v1.0/users/nobody@contoso.example/revokeSignInSessions"), permissions: GraphPermissions.UserRevokeSessionsAll);
        yield return Example("evaluate-body", entra => entra.SendAsync(HttpMethod.Post, "/v1.0/identity/conditionalAccess/evaluate", """{"signInIdentity":{"@odata.type":"#microsoft.graph.userSignIn","userId":"x"},"signInContext":{"@odata.type":"#microsoft.graph.applicationContext","includeApplications":["All"]},"signInConditions":{"ipAddress":"not an address"}}"""));
    }

    [TestCaseSource(nameof(Rules))]
    public async Task A_request_breaking_the_rule_is_refused_and_the_refusal_names_it(string rule)
    {
        var example = ExampleRequests().Single(e => e.Rule == rule);
        using var entra = new RawEntra(example.Configure, example.Permissions);
        entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        example.Arrange?.Invoke(entra);
        var before = entra.Tenant.NamedLocations;
        using var response = await example.Send(entra);

        Assert.That((int)response.StatusCode, Is.InRange(400, 499));
        Assert.That(response.Headers.TryGetValues(EmulatorRule.Header, out var named) ? named.Single() : null, Is.EqualTo(rule));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("error"), "an error body, Graph's or Entra's shape");
        Assert.That(entra.Tenant.NamedLocations, Is.EqualTo(before), "a refusal writes nothing");
    }

    [Test]
    public void Every_rule_of_the_catalogue_has_a_refusing_example_and_every_example_a_rule()
    {
        var examples = ExampleRequests().Select(e => e.Rule).ToList();
        Assert.That(examples, Is.Unique);
        Assert.That(examples, Is.EqualTo(EntraEmulator.Rules.Select(r => r.Id)), "one example per rule, in the catalogue's order");
    }

    [Test]
    public void Every_rule_has_a_source()
    {
        Assert.That(EntraEmulator.Rules.Select(r => r.Id), Is.Unique);
        Assert.That(EntraEmulator.Rules.Where(r => r.Source != EmulatorRule.EmulatorsChoice).Select(r => r.Source), Has.All.StartsWith("learn.microsoft.com/").Or.StartsWith("github.com/"));
    }

    internal static Uri TokenUri(RawEntra entra) => new(EntraEmulator.AuthorityHost, $"{entra.Tenant.TenantId}/oauth2/v2.0/token");

    internal static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    internal static async Task<HttpResponseMessage> SendTextAsync(RawEntra entra, HttpMethod method, string path, string body, string? mediaType)
    {
        using var request = new HttpRequestMessage(method, new Uri(EntraEmulator.GraphRoot, path.TrimStart('/')));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await entra.TokenAsync());
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (mediaType is not null)
        {
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        }

        return await entra.Http.SendAsync(request);
    }

    private static string Existing(RawEntra entra) => entra.Tenant.NamedLocations[0].Id;

    private static RuleExample Example(string rule, Func<RawEntra, Task<HttpResponseMessage>> send, Action<EntraEmulatorOptions>? configure = null, GraphPermissions permissions = GraphPermissions.All) =>
        new(rule, send, configure, permissions);

    /// <summary>A request breaking <paramref name="Rule"/>, sent to a tenant holding one untrusted location (and whatever <see cref="Arrange"/> adds).</summary>
    private sealed record RuleExample(string Rule, Func<RawEntra, Task<HttpResponseMessage>> Send, Action<EntraEmulatorOptions>? Configure, GraphPermissions Permissions)
    {
        public Action<RawEntra>? Arrange { get; init; }
    }
}
