using System.Net;
using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>MSAL itself, against a token endpoint answering with Entra's real error bodies.</summary>
public class AuthenticationTests
{
    private static IEnumerable<TestCaseData> TokenErrors()
    {
        yield return Case(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", EntraAuthenticationFailure.InvalidClientSecret);
        yield return Case(401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '0c1d2e3f' are expired.", EntraAuthenticationFailure.ExpiredClientSecret);
        yield return Case(400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '0c1d2e3f' was not found in the directory 'contoso'.", EntraAuthenticationFailure.ApplicationNotFound);
        yield return Case(400, "invalid_request", 90002, "AADSTS90002: Tenant '7a1b2c3d' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", EntraAuthenticationFailure.TenantNotFound);
        yield return Case(400, "unauthorized_client", 700229, "AADSTS700229: The client application is not permitted to use this grant.", EntraAuthenticationFailure.UnauthorizedClient);
    }

    [TestCaseSource(nameof(TokenErrors))]
    public void Entra_refusing_the_credentials_is_ENTRA001_with_the_precise_cause(int status, string error, int aadsts, string description, EntraAuthenticationFailure cause)
    {
        using var bed = new GraphTestBed(serveTokens: false);
        var token = bed.Mock.When(HttpMethod.Post, TokenEndpoint).Respond(_ => JsonResponse((HttpStatusCode)status, $$"""
            {"error":"{{error}}","error_description":"{{description}}\r\nTrace ID: 1f2e\r\nCorrelation ID: 3c4d\r\nTimestamp: 2026-11-22 03:00:00Z","error_codes":[{{aadsts}}],"timestamp":"2026-11-22 03:00:00Z","trace_id":"1f2e","correlation_id":"3c4d"}
            """));
        var graph = bed.Mock.When("https://graph.test/*").Respond(HttpStatusCode.OK);

        var failure = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync("loc"))!;

        Assert.That(failure.Code, Is.EqualTo(EntraErrorCode.AuthenticationFailed));
        Assert.That(failure.AuthenticationFailure, Is.EqualTo(cause));
        Assert.That(failure.Message, Does.StartWith("(agent error #ENTRA001) Microsoft Entra authentication failed."));
        Assert.That(failure.StatusCode, Is.EqualTo((HttpStatusCode)status));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(bed.Mock.GetMatchCount(graph), Is.Zero, "no token, no Graph call");
        Assert.That(bed.Mock.GetMatchCount(token), Is.EqualTo(1), "a refused credential is not retried");
    }

    [Test]
    public void An_unreachable_sign_in_host_is_ENTRA000()
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 1, serveTokens: false);
        bed.Mock.When(HttpMethod.Post, TokenEndpoint).Throw(new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (login.test:443)"));

        var failure = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync("loc"))!;

        Assert.That(failure.Code, Is.EqualTo(EntraErrorCode.ConnectionFailed));
    }

    private static IEnumerable<TestCaseData> GarbledTokenAnswers()
    {
        yield return new TestCaseData(HttpStatusCode.OK, "text/html", "<html><body>Sign in to the hotel Wi-Fi</body></html>").SetName("A captive portal's 200 HTML page");
        yield return new TestCaseData(HttpStatusCode.OK, "application/json", """{"token_type":"Bearer","expires_in":35""").SetName("A truncated 200 JSON body");
        yield return new TestCaseData(HttpStatusCode.OK, "application/json", "[1,2,3]").SetName("A 200 with JSON that is not a token answer");
        yield return new TestCaseData(HttpStatusCode.OK, "text/plain", string.Empty).SetName("An empty 200");
        yield return new TestCaseData(HttpStatusCode.BadRequest, "text/html", "<html><body>Blocked by policy</body></html>").SetName("A proxy's 400 HTML page");
        yield return new TestCaseData(HttpStatusCode.OK, "text/html", "<html>" + new string('x', 2 * 1024 * 1024) + "</html>").SetName("A 200 page far bigger than any token answer");
    }

    [TestCaseSource(nameof(GarbledTokenAnswers))]
    public void A_token_answer_that_is_not_Entras_JSON_is_a_transient_ENTRA054(HttpStatusCode status, string mediaType, string body)
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 0, serveTokens: false);
        bed.Mock.When(HttpMethod.Post, TokenEndpoint).Respond(_ => new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });
        var graph = bed.Mock.When("https://graph.test/*").Respond(HttpStatusCode.OK);

        var failure = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync("loc"))!;

        Assert.That((failure.Code, failure.IsTransient), Is.EqualTo((EntraErrorCode.UnexpectedResponse, true)), failure.ToString());
        Assert.That(failure.Message, Does.Contain("sign-in"));
        Assert.That(bed.Mock.GetMatchCount(graph), Is.Zero, "no token, no Graph call");
    }

    [Test]
    public async Task The_token_request_is_a_client_credentials_grant_for_the_clouds_Graph_scope()
    {
        using var bed = new GraphTestBed(serveTokens: false);
        string? form = null;
        bed.Mock.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            form = await request.Content!.ReadAsStringAsync();
            return JsonResponse(HttpStatusCode.OK, """{"token_type":"Bearer","expires_in":3599,"access_token":"t"}""");
        });
        bed.Mock.When("https://graph.test/*").Respond(HttpStatusCode.NoContent);

        await bed.Client.UpdateIpRangesAsync("loc", [Cidr.Parse("192.0.2.0/32")]);

        var fields = System.Web.HttpUtility.ParseQueryString(form!);
        Assert.That(fields["grant_type"], Is.EqualTo("client_credentials"));
        Assert.That(fields["scope"], Is.EqualTo("https://graph.test/.default"));
        Assert.That(fields["client_id"], Is.EqualTo(ClientId));
    }

    [Test]
    public async Task Clients_of_the_same_app_share_one_token_cache()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When("https://graph.test/*").Respond(HttpStatusCode.NoContent);
        using var second = bed.CreateClientOfSameApp();

        await bed.Client.DeleteAsync("a");
        await second.DeleteAsync("b");

        Assert.That(bed.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public void Credentials_describe_themselves_without_secrets()
    {
        var secret = EntraCredential.ClientSecret(TenantId, ClientId, Secret);
        Assert.That(secret.ToString(), Does.Contain(TenantId).And.Contain(ClientId).And.Not.Contain(Secret));
        Assert.That(EntraCredential.ManagedIdentity().ToString(), Is.EqualTo("ManagedIdentity(system-assigned)"));
        Assert.That(new AccessToken(Token, DateTimeOffset.UnixEpoch).ToString(), Does.Not.Contain(Token));
        Assert.Throws<ArgumentException>(() => EntraCredential.ClientSecret(TenantId, ClientId, " "));
    }

    private static TestCaseData Case(int status, string error, int aadsts, string description, EntraAuthenticationFailure cause) =>
        new TestCaseData(status, error, aadsts, description, cause).SetName($"AADSTS{aadsts} is ENTRA001 {cause}");
}
