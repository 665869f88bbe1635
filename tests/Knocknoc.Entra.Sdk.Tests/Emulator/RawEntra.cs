using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>Plain HTTP against the emulator, as any Graph client would speak to it.</summary>
internal sealed class RawEntra : IDisposable
{
    public const string Locations = "/v1.0/identity/conditionalAccess/namedLocations";

    public RawEntra(Action<EntraEmulatorOptions>? configure = null, GraphPermissions permissions = GraphPermissions.All)
    {
        var options = new EntraEmulatorOptions { TimeProvider = Time, RateLimitInterval = TimeSpan.Zero, Seed = 42 };
        configure?.Invoke(options);
        Emulator = new EntraEmulator(options);
        Tenant = Emulator.AddTenant();
        Application = Tenant.AddApplication(permissions);
        Http = new HttpClient(Emulator.CreateHandler());
    }

    public AutoAdvancingTimeProvider Time { get; } = new();

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication Application { get; }

    public HttpClient Http { get; }

    public static string IpLocation(string displayName, params string[] ranges) =>
        new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.ipNamedLocation",
            ["displayName"] = displayName,
            ["ipRanges"] = new JsonArray([.. ranges.Select(r => (JsonNode)new JsonObject
            {
                ["@odata.type"] = r.Contains(':', StringComparison.Ordinal) ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange",
                ["cidrAddress"] = r,
            })]),
        }.ToJsonString();

    public Task<HttpResponseMessage> RequestTokenAsync(string? tenant = null, string? clientId = null, string? secret = null, string? scope = null) =>
        Http.PostAsync(
            new Uri(EntraEmulator.AuthorityHost, $"{tenant ?? Tenant.TenantId}/oauth2/v2.0/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId ?? Application.ClientId,
                ["client_secret"] = secret ?? Application.ClientSecret,
                ["scope"] = scope ?? "https://graph.entra-emulator.test/.default",
            }));

    public async Task<string> TokenAsync()
    {
        using var response = await RequestTokenAsync();
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(EntraEmulator.GraphRoot, pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        request.Headers.Add("client-request-id", "crid-1");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<(HttpStatusCode Status, string? Code, string? Message)> ErrorAsync(HttpResponseMessage response)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json?["error"]?["code"]?.GetValue<string>(), json?["error"]?["message"]?.GetValue<string>());
    }

    public void Dispose() => Http.Dispose();
}
