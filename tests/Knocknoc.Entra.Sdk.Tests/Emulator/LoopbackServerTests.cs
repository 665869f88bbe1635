using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The emulator as a real HTTPS server on 127.0.0.1: sockets, TLS with explicit trust, dropped connections, timeouts.</summary>
public class LoopbackServerTests
{
    [Test]
    public async Task The_SDK_works_over_real_sockets_and_TLS_with_MSAL()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero });
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = server.CreateTrustingHandler();
        using var client = Client(server, transport, EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret));

        var created = await client.CreateIpAsync("knocknoc_loopback", [Cidr.Parse("192.0.2.0/32")]);
        await client.UpdateIpRangesAsync(created.Id, [Cidr.Parse("203.0.113.7/32")]);
        var read = await client.GetIpAsync(created.Id);

        Assert.That(server.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(server.BaseAddress.Scheme, Is.EqualTo("https"));
        Assert.That(read.IpRanges.Single().ToString(), Is.EqualTo("203.0.113.7/32"));
        Assert.That(emulator.Journal.Select(e => e.Status), Is.EqualTo(new[] { 200, 201, 204, 200 }), "token, create, update, read");
    }

    [Test]
    public async Task Without_explicit_trust_the_certificate_is_refused_as_ENTRA003()
    {
        var emulator = new EntraEmulator();
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var untrusting = new SocketsHttpHandler { AllowAutoRedirect = false };
        using var client = Client(server, untrusting, EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret));

        var error = Assert.ThrowsAsync<EntraException>(() => client.ListAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.TlsFailure));
        Assert.That(emulator.Journal, Is.Empty, "nothing got through");
    }

    [Test]
    public async Task The_certificate_is_for_loopback_and_exported_for_trust_stores()
    {
        await using var server = await EntraEmulatorServer.StartAsync(new EntraEmulator());
        using var certificate = X509Certificate2.CreateFromPem(server.CertificatePem);
        Assert.That(certificate.HasPrivateKey, Is.False);
        Assert.That(certificate.MatchesHostname("127.0.0.1"), Is.True);
        Assert.That(certificate.MatchesHostname("localhost"), Is.True);
        Assert.That(certificate.MatchesHostname("graph.microsoft.com"), Is.False);
    }

    [Test]
    public async Task A_dropped_connection_is_a_real_reset_that_the_SDK_retries_through()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero });
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = server.CreateTrustingHandler();
        using var client = Client(server, transport, EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret));
        emulator.FailNext(EmulatedFault.ConnectionReset);

        var read = await client.GetIpAsync(location.Id);

        Assert.That(read.Id, Is.EqualTo(location.Id));
        Assert.That(emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Is.EqualTo(new[] { 0, 200 }));
    }

    [Test]
    public async Task A_slow_Graph_times_out_as_ENTRA004()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero, ResponseDelay = TimeSpan.FromSeconds(5) });
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = server.CreateTrustingHandler();
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
            Cloud = server.Cloud,
            Transport = transport,
            Resilience = { TenantRequestInterval = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromMilliseconds(300), TotalTimeout = TimeSpan.FromSeconds(2), MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(10) },
        });

        var error = Assert.ThrowsAsync<EntraException>(() => client.ListAsync())!;

        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.Timeout, true)));
    }

    [Test]
    public async Task A_certificate_credential_signs_in_when_the_app_accepts_assertions()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero });
        var tenant = emulator.AddTenant();
        var accepting = tenant.AddApplication();
        accepting.AcceptsClientAssertions = true;
        var refusing = tenant.AddApplication();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = server.CreateTrustingHandler();
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(1));
        using var good = Client(server, transport, EntraCredential.Certificate(tenant.TenantId, accepting.ClientId, certificate));
        using var bad = Client(server, transport, EntraCredential.Certificate(tenant.TenantId, refusing.ClientId, certificate));

        Assert.That(await good.ListAsync(), Is.Empty);
        var error = Assert.ThrowsAsync<EntraException>(() => bad.ListAsync())!;
        Assert.That(error.AuthenticationFailure, Is.EqualTo(EntraAuthenticationFailure.InvalidClientAssertion));
    }

    private static NamedLocationClient Client(EntraEmulatorServer server, HttpMessageHandler transport, EntraCredential credential) =>
        NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = credential,
            Cloud = server.Cloud,
            Transport = transport,
            Resilience = { TenantRequestInterval = TimeSpan.Zero, BaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAttempts = 2 },
        });
}
