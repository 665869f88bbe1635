using System.Net;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The token endpoint, by raw HTTP: Entra's answers and error bodies.</summary>
public class EmulatorTokenTests
{
    [Test]
    public async Task A_known_application_gets_a_bearer_token_with_an_expiry()
    {
        using var entra = new RawEntra();
        using var response = await entra.RequestTokenAsync();
        var json = await RawEntra.JsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((json["token_type"]!.GetValue<string>(), json["expires_in"]!.GetValue<long>()), Is.EqualTo(("Bearer", 3600L)));
        Assert.That(json["access_token"]!.GetValue<string>(), Is.Not.Empty);
    }

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData("wrong-secret", 401, "invalid_client", 7000215).SetName("A wrong secret is AADSTS7000215");
        yield return new TestCaseData("expired", 401, "invalid_client", 7000222).SetName("An expired secret is AADSTS7000222");
        yield return new TestCaseData("unknown-app", 400, "unauthorized_client", 700016).SetName("An unknown application is AADSTS700016");
        yield return new TestCaseData("unknown-tenant", 400, "invalid_request", 90002).SetName("An unknown tenant is AADSTS90002");
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task Refusals_carry_Entras_error_body(string situation, int status, string error, int aadsts)
    {
        using var entra = new RawEntra();
        entra.Application.SecretExpired = situation == "expired";
        using var response = situation switch
        {
            "wrong-secret" => await entra.RequestTokenAsync(secret: "not-the-secret"),
            "unknown-app" => await entra.RequestTokenAsync(clientId: Guid.NewGuid().ToString()),
            "unknown-tenant" => await entra.RequestTokenAsync(tenant: Guid.NewGuid().ToString()),
            _ => await entra.RequestTokenAsync(),
        };

        var json = await RawEntra.JsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        Assert.That(json["error"]!.GetValue<string>(), Is.EqualTo(error));
        Assert.That(json["error_codes"]!.AsArray().Single()!.GetValue<int>(), Is.EqualTo(aadsts));
        Assert.That(json["error_description"]!.GetValue<string>(), Does.StartWith($"AADSTS{aadsts}: "));
    }

    [TestCase("https://graph.microsoft.com/.default", Description = "the global Graph, every Graph client's default")]
    [TestCase("00000003-0000-0000-c000-000000000000/.default", Description = "Graph by its application id")]
    [TestCase("https://graph.entra-emulator.test/.default", Description = "the emulated cloud's Graph root")]
    public async Task Graphs_own_scopes_give_a_token_the_emulated_Graph_accepts(string scope)
    {
        using var entra = new RawEntra();
        using var response = await entra.RequestTokenAsync(scope: scope);
        var token = (await RawEntra.JsonAsync(response))["access_token"]!.GetValue<string>();
        using var read = await entra.SendAsync(HttpMethod.Get, RawEntra.Locations, token: token);
        Assert.That((response.StatusCode, read.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [TestCase("https://management.azure.com/.default")]
    [TestCase("https://graph.microsoft.us/.default")]
    [TestCase("https://graph.microsoft.com.evil.test/.default")]
    public async Task Another_resource_is_AADSTS500011_invalid_resource(string scope)
    {
        using var entra = new RawEntra();
        using var response = await entra.RequestTokenAsync(scope: scope);
        var json = await RawEntra.JsonAsync(response);
        Assert.That((response.StatusCode, json["error"]!.GetValue<string>(), json["error_codes"]![0]!.GetValue<int>()), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_resource", 500011)));
    }

    [Test]
    public async Task A_refusal_echoes_the_callers_client_request_id_as_its_correlation_id_with_an_error_uri()
    {
        using var entra = new RawEntra();
        using var request = new HttpRequestMessage(HttpMethod.Post, EmulatorRuleCatalogueTests.TokenUri(entra))
        {
            Content = EmulatorRuleCatalogueTests.Form(("grant_type", "client_credentials"), ("client_id", entra.Application.ClientId), ("client_secret", "wrong"), ("scope", "https://graph.microsoft.com/.default")),
        };
        request.Headers.Add("client-request-id", "5f2b7d6e-0000-4000-8000-00000000abcd");
        using var response = await entra.Http.SendAsync(request);
        var json = await RawEntra.JsonAsync(response);

        Assert.That(response.Headers.GetValues("client-request-id").Single(), Is.EqualTo("5f2b7d6e-0000-4000-8000-00000000abcd"));
        Assert.That(json["correlation_id"]!.GetValue<string>(), Is.EqualTo("5f2b7d6e-0000-4000-8000-00000000abcd"));
        Assert.That(json["trace_id"]!.GetValue<string>(), Is.Not.EqualTo("5f2b7d6e-0000-4000-8000-00000000abcd"));
        Assert.That(json["error_description"]!.GetValue<string>(), Does.Contain("Correlation ID: 5f2b7d6e-0000-4000-8000-00000000abcd"));
        Assert.That(json["error_uri"]!.GetValue<string>(), Is.EqualTo("https://login.entra-emulator.test/error?code=7000215"));
    }

    [Test]
    public async Task The_journal_never_keeps_a_token_request_form()
    {
        using var entra = new RawEntra();
        await entra.TokenAsync();
        var entry = entra.Emulator.Journal.Single();
        Assert.That((entry.Method, entry.Status, entry.RequestBody, entry.IsGraph), Is.EqualTo(("POST", 200, (string?)null, false)));
        Assert.That(entry.ToString(), Does.Not.Contain(entra.Application.ClientSecret));
        Assert.That(entra.Application.ToString(), Does.Not.Contain(entra.Application.ClientSecret));
    }
}
