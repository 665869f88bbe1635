using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Cli.Configuration;

namespace Knocknoc.Entra.Cli.Tests.Configuration;

/// <summary>Signing in without a secret from the configuration: a certificate (PEM, PFX, store) or a managed identity; and <c>ca_file</c>.</summary>
public class CliCredentialTests
{
    private const string Tenant = "11111111-1111-1111-1111-111111111111";
    private const string Client = "22222222-2222-2222-2222-222222222222";
    private DirectoryInfo _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("knocknoc-cli-credential-");

    [TearDown]
    public void RemoveDirectory() => _directory.Delete(recursive: true);

    [Test]
    public void A_PEM_certificate_with_its_key_apart_signs_in_as_that_certificate()
    {
        using var certificate = SelfSigned();
        var certificateFile = Write("app.pem", certificate.ExportCertificatePem());
        var keyFile = Write("app.key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var settings = Load($"tenant_id={Tenant}\nclient_id={Client}\ncertificate_file={certificateFile}\ncertificate_key_file={keyFile}\n");

        Assert.That(settings.Missing(needLocation: false), Is.Empty);
        Assert.That(settings.Credential().ToString(), Is.EqualTo($"Certificate(tenant {Tenant}, client {Client}, thumbprint {certificate.Thumbprint})"));
        Assert.That(settings.CredentialKind, Is.EqualTo($"certificate file {certificateFile}"));
    }

    [Test]
    public void A_PFX_opens_with_its_password_and_a_wrong_one_is_named_without_showing_it()
    {
        using var certificate = SelfSigned();
        var pfx = Write("app.pfx", string.Empty);
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "Pa55word!"));

        var good = Load($"tenant_id={Tenant}\nclient_id={Client}\ncertificate_file={pfx}\ncertificate_password=Pa55word!\n");
        var bad = Load($"tenant_id={Tenant}\nclient_id={Client}\ncertificate_file={pfx}\ncertificate_password=Wr0ngPa55\n");

        Assert.That(good.Credential().ToString(), Does.Contain(certificate.Thumbprint));
        var error = Assert.Throws<ConfigurationException>(() => bad.Credential())!;
        Assert.That(error.Message, Does.Contain("certificate_file").And.Contain("certificate_password").And.Not.Contain("Wr0ngPa55"));
    }

    [Test]
    public void A_PEM_certificate_without_its_key_is_a_configuration_error_naming_the_key_setting()
    {
        using var certificate = SelfSigned();
        var certificateFile = Write("app.pem", certificate.ExportCertificatePem());

        var settings = Load($"tenant_id={Tenant}\nclient_id={Client}\ncertificate_file={certificateFile}\n");

        Assert.That(() => settings.Credential(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("certificate_key_file"));
    }

    [Test]
    public void A_thumbprint_missing_from_the_store_is_a_configuration_error_naming_the_store()
    {
        var settings = Load($"tenant_id={Tenant}\nclient_id={Client}\ncertificate_thumbprint=0123456789ABCDEF0123456789ABCDEF01234567\n");

        Assert.That(() => settings.Credential(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("CurrentUser\\My"));
    }

    [Test]
    public void A_managed_identity_needs_no_tenant_and_no_secret_and_takes_a_user_assigned_client_id()
    {
        var system = Load("credential=managed_identity\nlocation_id=loc-1\n");
        var user = Load($"credential=managed_identity\nclient_id={Client}\n");

        Assert.That(system.Missing(needLocation: true), Is.Empty);
        Assert.That(system.Credential().ToString(), Is.EqualTo("ManagedIdentity(system-assigned)"));
        Assert.That(user.Credential().ToString(), Is.EqualTo($"ManagedIdentity(user-assigned {Client})"));
        Assert.That(() => Load("credential=wizardry\n").Credential(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("managed_identity"));
    }

    [Test]
    public void A_secret_in_the_environment_replaces_a_certificate_of_the_file_and_one_layer_may_not_give_both()
    {
        var file = Write("config", $"tenant_id={Tenant}\nclient_id={Client}\ncertificate_file=/nowhere/app.pfx\n");
        var environment = new Dictionary<string, string?> { ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = "env-secret" };

        var settings = CliSettings.Load(file, name => environment.GetValueOrDefault(name), new Dictionary<string, string?>());

        Assert.That(settings.CredentialKind, Is.EqualTo("client secret set"));
        Assert.That(settings.Credential().ToString(), Does.StartWith("ClientSecret("));
        Assert.That(
            () => Load($"tenant_id={Tenant}\nclient_id={Client}\nclient_secret=s\ncertificate_thumbprint=AB\n"),
            Throws.TypeOf<ConfigurationException>().With.Message.Contains("both client_secret and certificate_thumbprint"));
    }

    [Test]
    public void The_ca_file_gives_the_roots_trusted_and_one_without_a_certificate_is_refused()
    {
        using var root = SelfSigned();
        var roots = Write("roots.pem", root.ExportCertificatePem());
        var empty = Write("empty.pem", "# nothing here\n");

        var trusted = Load($"ca_file={roots}\n").TrustedRoots();

        Assert.That(trusted!.Single().Thumbprint, Is.EqualTo(root.Thumbprint));
        Assert.That(Load("tenant_id=x\n").TrustedRoots(), Is.Null, "no ca_file: the machine's roots");
        Assert.That(() => Load($"ca_file={empty}\n").TrustedRoots(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("ca_file"));
    }

    [Test]
    public void A_graph_scope_sets_the_token_scope_apart_from_the_Graph_address_and_a_bad_one_is_named()
    {
        var proxied = Load("graph_url=https://proxy.example/\ngraph_scope=https://graph.microsoft.com/.default\n").Cloud();

        Assert.That((proxied.GraphRoot, proxied.GraphScope), Is.EqualTo((new Uri("https://proxy.example/"), "https://graph.microsoft.com/.default")));
        Assert.That(() => Load("graph_url=https://proxy.example/\ngraph_scope=User.Read\n").Cloud(), Throws.TypeOf<ConfigurationException>().With.Message.StartWith("graph_scope is not a token scope"));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=knocknoc test app", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private CliSettings Load(string text) => CliSettings.Load(Write("config", text), _ => null, new Dictionary<string, string?>());

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
