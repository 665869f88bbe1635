using System.Net;
using System.Text;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;
using RichardSzalay.MockHttp;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>
/// A client built exactly as hosts build it (MSAL, pacing, retries), over a MockHttp transport that serves both
/// the token endpoint and Graph, on a fake clock. Secrets and tokens here are distinctive so a leak test can hunt them.
/// </summary>
internal sealed class GraphTestBed : IDisposable
{
    public const string TenantId = "7a1b2c3d-0000-4000-8000-00000000aa01";
    public const string ClientId = "0c1d2e3f-0000-4000-8000-00000000bb02";
    public const string Secret = "SECRET~value.that.must.never.be.logged";
    public const string Token = "TOKEN.eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.must-never-be-logged";
    public const string RefreshedToken = "TOKEN2.refreshed.must-never-be-logged";
    public const string Locations = "https://graph.test/v1.0/identity/conditionalAccess/namedLocations";
    public const string Policies = "https://graph.test/v1.0/identity/conditionalAccess/policies";
    public const string TokenEndpoint = $"https://login.test/{TenantId}/oauth2/v2.0/token";

    public static readonly EntraCloud Cloud = EntraCloud.Custom(new Uri("https://login.test/"), new Uri("https://graph.test/"));

    private int _tokenRequests;

    public GraphTestBed(Action<GraphResilienceOptions>? configure = null, bool serveTokens = true)
    {
        if (serveTokens)
        {
            Mock.When(HttpMethod.Post, TokenEndpoint).Respond(_ =>
            {
                var count = Interlocked.Increment(ref _tokenRequests);
                return JsonResponse(HttpStatusCode.OK, $$"""{"token_type":"Bearer","expires_in":3599,"access_token":"{{(count == 1 ? Token : RefreshedToken)}}"}""");
            });
        }

        Resilience = new GraphResilienceOptions
        {
            Random = new Random(1234),
            TenantRequestInterval = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromHours(1),
            TotalTimeout = TimeSpan.FromHours(2),
        };
        configure?.Invoke(Resilience);
        Client = CreateClientOfSameApp();
    }

    /// <summary>The token endpoint is a When and exact Graph calls are Expects: both must answer.</summary>
    public MockHttpMessageHandler Mock { get; } = new(BackendDefinitionBehavior.Always);

    public AutoAdvancingTimeProvider Time { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public GraphResilienceOptions Resilience { get; }

    public NamedLocationClient Client { get; }

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public static HttpResponseMessage JsonResponse(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static string GraphError(string code, string message) =>
        """{"error":{"code":"CODE","message":"MESSAGE","innerError":{"date":"2026-11-22T03:00:00","request-id":"req-CODE","client-request-id":"ignored"}}}"""
            .Replace("CODE", code, StringComparison.Ordinal)
            .Replace("MESSAGE", message, StringComparison.Ordinal);

    /// <summary>Another client of the same app, tenant, transport and clock, as a second host component would make.</summary>
    public NamedLocationClient CreateClientOfSameApp() => NamedLocationClient.Create(new NamedLocationClientOptions
    {
        Credential = EntraCredential.ClientSecret(TenantId, ClientId, Secret),
        Cloud = Cloud,
        Transport = Mock,
        TimeProvider = Time,
        LoggerFactory = Logs,
        Resilience = Resilience,
    });

    public void Dispose()
    {
        Client.Dispose();
        Mock.Dispose();
    }
}
