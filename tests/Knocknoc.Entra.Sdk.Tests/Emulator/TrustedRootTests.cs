using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>
/// <c>TrustedRootCertificates</c>: a custom endpoint behind a private root (here the loopback emulator's self-signed
/// certificate) is trusted by the SDK's own transport, through sign-in and Graph alike; nothing else is.
/// </summary>
public class TrustedRootTests
{
    [Test]
    public async Task A_client_trusting_the_servers_root_signs_in_and_reads_over_TLS()
    {
        var (emulator, tenant, app) = Emulated();
        var location = tenant.AddIpNamedLocation("knocknoc_trusted", ["192.0.2.0/32"]);
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var root = X509Certificate2.CreateFromPem(server.CertificatePem);
        using var client = NamedLocationClient.Create(Options(server, tenant, app, [root]));

        var read = await client.GetIpAsync(location.Id);

        Assert.That(read.DisplayName, Is.EqualTo("knocknoc_trusted"));
        Assert.That(emulator.Journal.Select(entry => entry.Status), Is.EqualTo(new[] { 200, 200 }), "the token, then the read, both over the trusted TLS");
    }

    [Test]
    public async Task Trusting_another_root_refuses_the_server_as_ENTRA003_and_sends_nothing()
    {
        var (emulator, tenant, app) = Emulated();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=another private root", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var client = NamedLocationClient.Create(Options(server, tenant, app, [other]));

        var error = Assert.ThrowsAsync<EntraException>(() => client.ListAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.TlsFailure));
        Assert.That(emulator.Journal, Is.Empty);
    }

    [Test]
    public async Task A_hosted_gate_trusts_the_roots_through_its_HTTP_clients_primary_handler()
    {
        var (emulator, tenant, app) = Emulated();
        var location = tenant.AddIpNamedLocation("knocknoc_hosted", ["192.0.2.0/32"]);
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var root = X509Certificate2.CreateFromPem(server.CertificatePem);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddNamedLocationGate("trusted", options =>
        {
            options.LocationId = location.Id;
            options.Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret);
            options.Cloud = server.Cloud;
            options.TrustedRootCertificates = [root];
            options.AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges);
            options.Resilience.TenantRequestInterval = TimeSpan.Zero;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var gate = host.Services.GetRequiredKeyedService<INamedLocationGate>("trusted");
        await gate.GrantAsync("alice", "203.0.113.7", TimeSpan.FromHours(1));
        await host.StopAsync();

        Assert.That(tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    private static (EntraEmulator Emulator, EmulatedTenant Tenant, EmulatedApplication App) Emulated()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero });
        var tenant = emulator.AddTenant();
        return (emulator, tenant, tenant.AddApplication());
    }

    private static NamedLocationClientOptions Options(EntraEmulatorServer server, EmulatedTenant tenant, EmulatedApplication app, X509Certificate2Collection roots) => new()
    {
        Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
        Cloud = server.Cloud,
        TrustedRootCertificates = roots,
        Resilience = { TenantRequestInterval = TimeSpan.Zero, BaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAttempts = 2 },
    };
}
