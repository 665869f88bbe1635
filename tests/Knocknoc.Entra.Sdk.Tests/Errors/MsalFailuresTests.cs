using System.Net;
using Knocknoc.Entra.Sdk.Authentication;
using Microsoft.Identity.Client;

namespace Knocknoc.Entra.Sdk.Tests.Errors;

/// <summary>What MSAL throws, and the ENTRA code, precise cause and advice it becomes.</summary>
public class MsalFailuresTests
{
    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return Refusal("AADSTS7000215: Invalid client secret provided.", EntraAuthenticationFailure.InvalidClientSecret, "the client secret is wrong (AADSTS7000215): use the secret's value, not its id.");
        yield return Refusal("AADSTS7000222: The provided client secret keys for app are expired.", EntraAuthenticationFailure.ExpiredClientSecret, "the client secret has expired (AADSTS7000222): create a new one under Certificates & secrets.");
        yield return Refusal("AADSTS700016: Application with identifier was not found in the directory.", EntraAuthenticationFailure.ApplicationNotFound, "no application with this client id exists in the tenant (AADSTS700016).");
        yield return Refusal("AADSTS90002: Tenant not found.", EntraAuthenticationFailure.TenantNotFound, "the tenant was not found (AADSTS90002): check the tenant id and the cloud.");
        yield return Refusal("AADSTS700027: Client assertion contains an invalid signature.", EntraAuthenticationFailure.InvalidClientAssertion, "the certificate or client assertion was refused.");
        yield return Refusal("AADSTS700024: Client assertion is not within its valid time range.", EntraAuthenticationFailure.InvalidClientAssertion, "the certificate or client assertion was refused.");
        yield return Refusal("AADSTS50000: There was an error issuing a token.", EntraAuthenticationFailure.Unspecified, "Entra refused the credentials (invalid_client).");
    }

    [TestCaseSource(nameof(Refusals))]
    public void Entras_refusal_names_its_precise_cause(string message, EntraAuthenticationFailure cause, string detail)
    {
        var thrown = new MsalServiceException("invalid_client", message, 401);

        var error = MsalFailures.Map(thrown);

        AssertAuthenticationFailure(error, cause, detail);
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.GraphErrorCode, Is.EqualTo("invalid_client"));
        Assert.That(error.InnerException, Is.SameAs(thrown));
    }

    [Test]
    public void The_AADSTS_code_is_also_found_in_the_response_body()
    {
        var thrown = new MsalServiceException("invalid_client", "A configuration issue is preventing authentication.", 401)
        {
            ResponseBody = """{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys are expired."}""",
        };

        AssertAuthenticationFailure(MsalFailures.Map(thrown), EntraAuthenticationFailure.ExpiredClientSecret, "the client secret has expired (AADSTS7000222)");
    }

    [Test]
    public void An_unauthorized_client_is_named()
    {
        var error = MsalFailures.Map(new MsalServiceException("unauthorized_client", "The client is not authorized.", 400));
        AssertAuthenticationFailure(error, EntraAuthenticationFailure.UnauthorizedClient, "the application is not allowed to use the client credentials grant (unauthorized_client).");
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("managed_identity_unreachable_network")]
    [TestCase("managed_identity_request_failed")]
    public void An_unavailable_managed_identity_endpoint_is_named(string code)
    {
        var error = MsalFailures.Map(new MsalClientException(code, "The managed identity endpoint could not be reached."));
        AssertAuthenticationFailure(error, EntraAuthenticationFailure.ManagedIdentityUnavailable, $"the managed identity endpoint failed ({code}).");
        Assert.That(error.StatusCode, Is.Null);
        Assert.That(error.GraphErrorCode, Is.EqualTo(code));
    }

    [Test]
    public void A_client_side_MSAL_failure_names_MSALs_code()
    {
        var error = MsalFailures.Map(new MsalClientException("invalid_authority", "The authority is not valid."));
        AssertAuthenticationFailure(error, EntraAuthenticationFailure.Unspecified, "Entra refused the credentials (invalid_authority).");
        Assert.That(error.StatusCode, Is.Null);
    }

    [Test]
    public void A_failure_without_an_MSAL_code_names_its_type()
    {
        var error = MsalFailures.Map(new InvalidOperationException("unexpected"));
        AssertAuthenticationFailure(error, EntraAuthenticationFailure.Unspecified, "Entra refused the credentials (InvalidOperationException).");
        Assert.That(error.GraphErrorCode, Is.Null);
    }

    [Test]
    public void Entras_throttling_is_ENTRA005_and_transient()
    {
        var thrown = new MsalServiceException("request_throttled", "Too many requests", 429);

        var error = MsalFailures.Map(thrown);

        Assert.That((error.Code, error.IsTransient, error.AuthenticationFailure), Is.EqualTo((EntraErrorCode.Throttled, true, (EntraAuthenticationFailure?)null)));
        Assert.That(error.Message, Does.StartWith("(agent error #ENTRA005) Microsoft Graph API throttled. the sign-in service is throttling this application. "));
        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)429));
        Assert.That(error.InnerException, Is.SameAs(thrown));
    }

    [TestCase(500)]
    [TestCase(503)]
    public void An_outage_of_the_sign_in_service_is_ENTRA000_and_transient(int status)
    {
        var error = MsalFailures.Map(new MsalServiceException("service_not_available", "AADSTS7000215 in an error page", status));

        Assert.That((error.Code, error.IsTransient, error.AuthenticationFailure), Is.EqualTo((EntraErrorCode.ConnectionFailed, true, (EntraAuthenticationFailure?)null)));
        Assert.That(error.Message, Does.StartWith($"(agent error #ENTRA000) Failed to connect to Microsoft Graph. the sign-in service answered {status}. "));
        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
    }

    private static IEnumerable<TestCaseData> GarbledAnswers()
    {
        yield return new TestCaseData(new MsalServiceException(MsalError.NonParsableOAuthError, "An error response was returned by the OAuth2 server, but it could not be parsed.", 400) { ResponseBody = "<html>AADSTS7000215</html>" })
            .SetName("MSAL's unparsable error answer");
        yield return new TestCaseData(new MsalClientException(MsalError.JsonParseError, "Could not parse the answer.", new System.Text.Json.JsonException("'<' is an invalid start of a value.")))
            .SetName("MSAL's JSON parse error");
        yield return new TestCaseData(new System.Text.Json.JsonException("'<' is an invalid start of a value."))
            .SetName("A raw JsonException from MSAL's parser");
    }

    [TestCaseSource(nameof(GarbledAnswers))]
    public void An_answer_MSAL_cannot_read_is_ENTRA054_and_transient_whatever_it_contains(Exception thrown)
    {
        var error = MsalFailures.Map(thrown);

        Assert.That((error.Code, error.IsTransient, error.AuthenticationFailure), Is.EqualTo((EntraErrorCode.UnexpectedResponse, true, (EntraAuthenticationFailure?)null)));
        Assert.That(error.Message, Does.Contain("not Entra's JSON"));
        Assert.That(error.InnerException, Is.SameAs(thrown));
    }

    [Test]
    public void A_failure_the_token_answer_guard_named_is_kept_even_when_MSAL_wraps_it()
    {
        var named = new EntraException(EntraErrorCode.UnexpectedResponse, "the sign-in host answered 200 (text/html)");

        Assert.That(MsalFailures.Map(named), Is.SameAs(named));
        Assert.That(MsalFailures.Map(new MsalClientException("unknown_error", "wrapped", named)), Is.SameAs(named));
    }

    [Test]
    public void A_network_failure_under_MSAL_is_mapped_as_a_network_failure()
    {
        var thrown = new MsalServiceException("service_not_available", "Service not available.", new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (login.test:443)"));

        var error = MsalFailures.Map(thrown);

        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.ConnectionFailed, true)));
        Assert.That(error.Message, Does.Contain("the host name could not be resolved"));
        Assert.That(error.StatusCode, Is.Null);
    }

    [TestCase(400)]
    [TestCase(401)]
    public void An_answer_from_Entra_wins_over_a_network_failure_inside_it(int status)
    {
        var thrown = new MsalServiceException("invalid_client", "AADSTS7000215: Invalid client secret provided.", status, new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"));

        var error = MsalFailures.Map(thrown);

        Assert.That((error.Code, error.AuthenticationFailure), Is.EqualTo((EntraErrorCode.AuthenticationFailed, (EntraAuthenticationFailure?)EntraAuthenticationFailure.InvalidClientSecret)));
        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
    }

    [Test]
    public void A_refusal_without_a_status_has_none()
    {
        var error = MsalFailures.Map(new MsalServiceException("invalid_client", "AADSTS90002: Tenant not found."));
        Assert.That(error.AuthenticationFailure, Is.EqualTo(EntraAuthenticationFailure.TenantNotFound));
        Assert.That(error.StatusCode, Is.Null);
        Assert.That(error.Message, Does.Not.Contain("HTTP 0"));
    }

    [Test]
    public void MSALs_correlation_id_is_the_request_id()
    {
        var thrown = new MsalServiceException("invalid_client", "AADSTS7000215: Invalid client secret provided.", 401) { CorrelationId = "corr-1" };
        var error = MsalFailures.Map(thrown);
        Assert.That(error.RequestId, Is.EqualTo("corr-1"));
        Assert.That(error.Message, Does.EndWith("[HTTP 401, code invalid_client, request-id corr-1]"));
    }

    private static void AssertAuthenticationFailure(EntraException error, EntraAuthenticationFailure cause, string detail)
    {
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.AuthenticationFailed));
        Assert.That(error.AuthenticationFailure, Is.EqualTo(cause));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.Message, Does.StartWith("(agent error #ENTRA001) Microsoft Entra authentication failed. " + detail));
    }

    private static TestCaseData Refusal(string message, EntraAuthenticationFailure cause, string detail) =>
        new TestCaseData(message, cause, detail).SetName($"{message[..message.IndexOf(':', StringComparison.Ordinal)]} is {cause}");
}
