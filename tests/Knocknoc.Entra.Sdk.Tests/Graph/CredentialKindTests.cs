using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Each way of signing in, through real MSAL against the mocked endpoints.</summary>
[NonParallelizable]
public class CredentialKindTests
{
    [Test]
    public async Task A_certificate_signs_a_client_assertion_that_carries_its_chain()
    {
        using var certificate = SelfSigned();
        var form = await TokenRequestFormFor(EntraCredential.Certificate(TenantId, ClientId, certificate));

        Assert.That(form["client_assertion_type"], Is.EqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        var header = JwtHeader(form["client_assertion"]!);
        Assert.That(header, Does.Contain("\"x5c\""), "the certificate chain is sent (subject name / issuer authentication)");
        Assert.That(form["client_secret"], Is.Null);
    }

    [Test]
    public void Certificates_load_from_PFX_and_PEM_files()
    {
        using var certificate = SelfSigned();
        var folder = Directory.CreateTempSubdirectory("knocknoc-cert-");
        try
        {
            var pfx = Path.Combine(folder.FullName, "app.pfx");
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
            var pem = Path.Combine(folder.FullName, "app.pem");
            var key = Path.Combine(folder.FullName, "app.key");
            File.WriteAllText(pem, certificate.ExportCertificatePem());
            File.WriteAllText(key, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

            var fromPfx = EntraCredential.CertificateFromPfxFile(TenantId, ClientId, pfx, "pfx-password");
            var fromPem = EntraCredential.CertificateFromPemFile(TenantId, ClientId, pem, key);

            Assert.That(fromPfx.ToString(), Does.Contain(certificate.Thumbprint));
            Assert.That(fromPem.ToString(), Does.Contain(certificate.Thumbprint));
            Assert.Throws<CryptographicException>(() => EntraCredential.CertificateFromPfxFile(TenantId, ClientId, pfx, "wrong"));
            Assert.Throws<CryptographicException>(() => EntraCredential.CertificateFromPemFile(TenantId, ClientId, pem), "the key is in another file");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task A_client_assertion_callback_supplies_the_assertion()
    {
        var calls = 0;
        var credential = EntraCredential.ClientAssertion(TenantId, ClientId, _ =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult("federated.assertion.jwt");
        });

        var form = await TokenRequestFormFor(credential);

        Assert.That(form["client_assertion"], Is.EqualTo("federated.assertion.jwt"));
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_managed_identity_asks_the_host_endpoint_for_the_Graph_resource()
    {
        var (resource, authorization) = await ManagedIdentityRequestFor(Cloud);

        Assert.That(resource, Is.EqualTo("https://graph.test"));
        Assert.That(authorization, Is.EqualTo("mi-token"));
    }

    [Test]
    public async Task Behind_a_proxy_the_token_is_for_Graph_itself_and_the_requests_go_to_the_proxy()
    {
        var proxy = EntraCloud.Custom(new Uri("https://login.test/"), new Uri("https://graph.test/"), "https://graph.microsoft.com/.default");

        var form = await TokenRequestFormFor(EntraCredential.ClientSecret(TenantId, ClientId, "s3cret"), proxy);

        Assert.That(form["scope"], Is.EqualTo("https://graph.microsoft.com/.default"), "not the proxy's host: Entra would refuse it (AADSTS500011)");
        Assert.That(proxy.ToString(), Is.EqualTo("Custom (login.test, graph.test, tokens for https://graph.microsoft.com/.default)"));
    }

    [Test]
    public async Task A_managed_identity_behind_a_proxy_asks_for_the_scopes_resource()
    {
        var (resource, _) = await ManagedIdentityRequestFor(EntraCloud.Custom(new Uri("https://login.test/"), new Uri("https://graph.test/"), "https://graph.microsoft.com/.default"));

        Assert.That(resource, Is.EqualTo("https://graph.microsoft.com"));
    }

    /// <summary>One Graph call signed in as a managed identity: the resource it asked its host endpoint for, and the token Graph saw.</summary>
    private static async Task<(string? Resource, string? Authorization)> ManagedIdentityRequestFor(EntraCloud cloud)
    {
        var endpoint = "http://127.0.0.1:41999/msi/token";
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "identity-header-value");
        try
        {
            using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
            string? resource = null;
            mock.When($"{endpoint}*").Respond(request =>
            {
                resource = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["resource"];
                var expires = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
                return JsonResponse(HttpStatusCode.OK, $$"""{"access_token":"mi-token","expires_on":"{{expires}}","resource":"{{resource}}","token_type":"Bearer"}""");
            });
            string? authorization = null;
            mock.When("https://graph.test/*").Respond(request =>
            {
                authorization = request.Headers.Authorization?.Parameter;
                return new HttpResponseMessage(HttpStatusCode.NoContent);
            });
            using var client = NamedLocationClient.Create(new NamedLocationClientOptions
            {
                Credential = EntraCredential.ManagedIdentity(),
                Cloud = cloud,
                Transport = mock,
                TimeProvider = new AutoAdvancingTimeProvider(),
                Resilience = { TenantRequestInterval = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromHours(2) },
            });

            await client.DeleteAsync("loc");
            return (resource, authorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        }
    }

    private static async Task<System.Collections.Specialized.NameValueCollection> TokenRequestFormFor(EntraCredential credential, EntraCloud? cloud = null)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        string? form = null;
        mock.When(HttpMethod.Post, TokenEndpoint).Respond(async request =>
        {
            form = await request.Content!.ReadAsStringAsync();
            return JsonResponse(HttpStatusCode.OK, """{"token_type":"Bearer","expires_in":3599,"access_token":"t"}""");
        });
        mock.When("https://graph.test/*").Respond(HttpStatusCode.NoContent);
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = credential,
            Cloud = cloud ?? Cloud,
            Transport = mock,
            TimeProvider = new AutoAdvancingTimeProvider(),
            Resilience = { TenantRequestInterval = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromHours(2) },
        });

        await client.DeleteAsync("loc");
        return System.Web.HttpUtility.ParseQueryString(form!);
    }

    private static string JwtHeader(string jwt)
    {
        var header = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=')));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=knocknoc-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
    }
}
