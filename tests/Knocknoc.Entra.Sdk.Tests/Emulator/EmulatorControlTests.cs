using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The served emulator's control surface: a bad day played from outside the process, by plain HTTP.</summary>
public class EmulatorControlTests
{
    private const string Locations = "v1.0/identity/conditionalAccess/namedLocations";

    [Test]
    public async Task An_application_with_read_only_permissions_or_an_expired_secret_is_added_from_outside()
    {
        await using var bed = await Bed.StartAsync();
        var readOnly = await bed.ControlAsync(HttpMethod.Post, $"tenants/{bed.Tenant.TenantId}/applications", """{"permissions":["Policy.Read.All"]}""");
        var expired = await bed.ControlAsync(HttpMethod.Post, $"tenants/{bed.Tenant.TenantId}/applications", """{"secretExpired":true}""");
        var location = bed.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);

        var token = await bed.TokenAsync(readOnly!["clientId"]!.GetValue<string>(), readOnly["clientSecret"]!.GetValue<string>());
        using var read = await bed.GraphAsync(HttpMethod.Get, $"{Locations}/{location.Id}", token);
        using var write = await bed.GraphAsync(HttpMethod.Delete, $"{Locations}/{location.Id}", token);
        using var refused = await bed.TokenResponseAsync(expired!["clientId"]!.GetValue<string>(), expired["clientSecret"]!.GetValue<string>());

        Assert.That((read.StatusCode, write.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Forbidden)));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("AADSTS7000222"));
        Assert.That(readOnly["permissions"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "Policy.Read.All" }));
    }

    [Test]
    public async Task Faults_settings_and_token_expiry_play_a_bad_day_and_reset_ends_it()
    {
        await using var bed = await Bed.StartAsync();
        var token = await bed.TokenAsync();
        await bed.ControlAsync(HttpMethod.Post, "faults", """{"fault":"serviceUnavailable","count":2}""");
        using var first = await bed.GraphAsync(HttpMethod.Get, Locations, token);
        using var second = await bed.GraphAsync(HttpMethod.Get, Locations, token);
        using var third = await bed.GraphAsync(HttpMethod.Get, Locations, token);
        Assert.That((first.StatusCode, second.StatusCode, third.StatusCode), Is.EqualTo((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK)));

        var settings = await bed.ControlAsync(HttpMethod.Patch, "settings", """{"rateLimitSeconds":1,"retryAfter":"wholeSeconds"}""");
        Assert.That((settings!["rateLimitSeconds"]!.GetValue<double>(), settings["retryAfter"]!.GetValue<string>()), Is.EqualTo((1.0, "WholeSeconds")));
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        using (await bed.GraphAsync(HttpMethod.Get, Locations, token))
        using (var throttled = await bed.GraphAsync(HttpMethod.Get, Locations, token))
        {
            Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(throttled.Headers.GetValues("Retry-After").Single(), Is.EqualTo("1"));
        }

        await bed.ControlAsync(HttpMethod.Post, "tokens/expire", null);
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await bed.GraphAsync(HttpMethod.Get, Locations, token);
        Assert.That(await expired.Content.ReadAsStringAsync(), Does.Contain("Access token has expired"));

        Assert.That((await bed.ControlAsync(HttpMethod.Get, "journal", null))!.AsArray(), Has.Count.GreaterThan(5));
        await bed.ControlAsync(HttpMethod.Post, "reset", null);
        var after = await bed.ControlAsync(HttpMethod.Get, "settings", null);
        Assert.That((after!["rateLimitSeconds"]!.GetValue<double>(), after["retryAfter"]!.GetValue<string>()), Is.EqualTo((0.0, "Absent")), "the settings the server started with");
        Assert.That((await bed.ControlAsync(HttpMethod.Get, "journal", null))!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Locations_policies_and_a_second_writers_ranges_are_set_from_outside()
    {
        await using var bed = await Bed.StartAsync();
        var tenant = bed.Tenant.TenantId;
        var location = await bed.ControlAsync(HttpMethod.Post, $"tenants/{tenant}/locations", """{"displayName":"knocknoc_x","ipRanges":["192.0.2.0/32"]}""");
        var id = location!["id"]!.GetValue<string>();
        var policy = await bed.ControlAsync(HttpMethod.Post, $"tenants/{tenant}/policies", $$"""{"displayName":"Block outside","state":"enabled","includeLocations":["All"],"excludeLocations":["{{id}}"]}""");
        await bed.ControlAsync(HttpMethod.Put, $"tenants/{tenant}/locations/{id}/ipRanges", """["203.0.113.7/32"]""");
        var token = await bed.TokenAsync();

        using var refused = await bed.GraphAsync(HttpMethod.Delete, $"{Locations}/{id}", token);
        await bed.ControlAsync(HttpMethod.Delete, $"tenants/{tenant}/policies/{policy!["id"]!.GetValue<string>()}", null);
        using var deleted = await bed.GraphAsync(HttpMethod.Delete, $"{Locations}/{id}", token);
        var state = await bed.ControlAsync(HttpMethod.Get, "state", null);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(bed.Tenant.NamedLocations, Is.Empty);
        Assert.That(bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "DELETE"), Is.EqualTo(2), "control calls are not Graph's and are not journaled");
        Assert.That(state!.ToJsonString(), Does.Not.Contain(bed.Application.ClientSecret), "state never shows a secret");
    }

    [TestCase("GET", "nothing-here", null, HttpStatusCode.NotFound)]
    [TestCase("PATCH", "settings", """{"rateLimit":1}""", HttpStatusCode.BadRequest)]
    [TestCase("PATCH", "settings", """{"transientFailureRate":2}""", HttpStatusCode.BadRequest)]
    [TestCase("PATCH", "settings", """{"retryAfter":"sometimes"}""", HttpStatusCode.BadRequest)]
    [TestCase("POST", "faults", """{"fault":"meteorStrike"}""", HttpStatusCode.BadRequest)]
    [TestCase("POST", "faults", "not json", HttpStatusCode.BadRequest)]
    [TestCase("POST", "tenants/unknown/locations", """{"displayName":"x","ipRanges":[]}""", HttpStatusCode.NotFound)]
    public async Task Wrong_control_requests_are_refused_with_a_reason(string method, string path, string? body, HttpStatusCode expected)
    {
        await using var bed = await Bed.StartAsync();
        using var response = await bed.ControlResponseAsync(new HttpMethod(method), path, body);
        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), Is.Not.Empty);
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly EntraEmulatorServer _server;
        private readonly HttpClient _http;

        private Bed(EntraEmulator emulator, EmulatedTenant tenant, EntraEmulatorServer server, AutoAdvancingTimeProvider time)
        {
            Emulator = emulator;
            _server = server;
            Time = time;
            Tenant = tenant;
            Application = Tenant.AddApplication();
            _http = new HttpClient(server.CreateTrustingHandler());
        }

        public EntraEmulator Emulator { get; }

        public AutoAdvancingTimeProvider Time { get; }

        public EmulatedTenant Tenant { get; }

        public EmulatedApplication Application { get; }

        public static async Task<Bed> StartAsync()
        {
            var time = new AutoAdvancingTimeProvider();
            var emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = time, RateLimitInterval = TimeSpan.Zero });
            var tenant = emulator.AddTenant();
            return new Bed(emulator, tenant, await EntraEmulatorServer.StartAsync(emulator), time);
        }

        public async Task<HttpResponseMessage> ControlResponseAsync(HttpMethod method, string path, string? json)
        {
            using var request = new HttpRequestMessage(method, new Uri(_server.ControlAddress, path));
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return await _http.SendAsync(request);
        }

        public async Task<JsonNode?> ControlAsync(HttpMethod method, string path, string? json)
        {
            using var response = await ControlResponseAsync(method, path, json);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.IsSuccessStatusCode, Is.True, text);
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        public Task<HttpResponseMessage> TokenResponseAsync(string? clientId = null, string? secret = null) =>
            _http.PostAsync(new Uri(_server.BaseAddress, $"{Tenant.TenantId}/oauth2/v2.0/token"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId ?? Application.ClientId,
                ["client_secret"] = secret ?? Application.ClientSecret,
                ["scope"] = "https://graph.microsoft.com/.default",
            }));

        public async Task<string> TokenAsync(string? clientId = null, string? secret = null)
        {
            using var response = await TokenResponseAsync(clientId, secret);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        }

        public async Task<HttpResponseMessage> GraphAsync(HttpMethod method, string path, string token)
        {
            using var request = new HttpRequestMessage(method, new Uri(_server.BaseAddress, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await _http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _server.DisposeAsync();
        }
    }
}
