using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Tests.Support;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Every failure path, logged at Trace: the secret and the tokens appear in no log line and no exception text.</summary>
public class SecretLeakTests
{
    private static IEnumerable<Func<HttpRequestMessage, HttpResponseMessage>> GraphAnswers()
    {
        yield return _ => JsonResponse(HttpStatusCode.Unauthorized, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
        yield return _ => JsonResponse(HttpStatusCode.Forbidden, GraphError("AccessDenied", "required scopes are missing in the token"));
        yield return _ => JsonResponse(HttpStatusCode.NotFound, GraphError("ResourceNotFound", "gone"));
        yield return _ => JsonResponse(HttpStatusCode.BadRequest, GraphError("BadRequest", "Invalid CIDR"));
        yield return _ => JsonResponse((HttpStatusCode)429, GraphError("TooManyRequests", "later"), ("Retry-After", "1.5"));
        yield return _ => JsonResponse(HttpStatusCode.ServiceUnavailable, "<html>down</html>");
        yield return _ => JsonResponse(HttpStatusCode.OK, "{\"truncated\":");
        yield return _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        yield return _ => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "tls", new System.Security.Authentication.AuthenticationException("bad cert"));
    }

    [Test]
    public void No_failure_path_writes_the_secret_or_a_token()
    {
        var texts = new List<string>();
        foreach (var answer in GraphAnswers())
        {
            using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 1);
            bed.Mock.When("https://graph.test/*").Respond(answer);
            texts.AddRange(Failures(bed));
            texts.AddRange(bed.Logs.Entries.Select(e => e.Text));
        }

        using (var success = new GraphTestBed())
        {
            success.Mock.When("https://graph.test/*").Respond(HttpStatusCode.NoContent);
            success.Client.DeleteAsync("loc").GetAwaiter().GetResult();
            Assert.That(success.Logs.Entries.Any(e => e.EventId.Id == 1002), Is.True, "the token acquisition was logged");
            Assert.That(success.Logs.Entries.Any(e => e.EventId.Id == 1003 && e.Text.StartsWith("MSAL: ", StringComparison.Ordinal)), Is.True, "MSAL's own log reaches the host's logger, and is checked here too");
            texts.AddRange(success.Logs.Entries.Select(e => e.Text));
        }

        foreach (var tokenAnswer in new[] { 401, 400, 500 })
        {
            using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 1, serveTokens: false);
            bed.Mock.When(HttpMethod.Post, TokenEndpoint).Respond(_ => JsonResponse((HttpStatusCode)tokenAnswer, """{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}"""));
            texts.AddRange(Failures(bed));
            texts.AddRange(bed.Logs.Entries.Select(e => e.Text));
        }

        Assert.That(texts, Has.Count.GreaterThan(40), "the failure paths did log and throw");
        Assert.That(texts.Where(t => t.Contains(Secret, StringComparison.Ordinal) || t.Contains(Token, StringComparison.Ordinal) || t.Contains(RefreshedToken, StringComparison.Ordinal)), Is.Empty);
        Assert.That(texts.Where(BearerText.Leaks), Is.Empty);
        Assert.That(texts.Where(t => t.Contains("EntraCredential", StringComparison.Ordinal)), Is.Empty, "no credential object in structured log state");
    }

    private static IEnumerable<string> Failures(GraphTestBed bed)
    {
        var calls = new Func<Task>[]
        {
            () => bed.Client.GetAsync("loc"),
            () => bed.Client.UpdateIpRangesAsync("loc", [Cidr.Parse("192.0.2.0/32")]),
            () => bed.Client.ListPoliciesAsync(),
        };
        foreach (var call in calls)
        {
            var error = Assert.CatchAsync<EntraException>(() => call());
            yield return error!.ToString();
        }
    }
}
