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
