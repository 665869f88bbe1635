using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// What every command shares, as processes: a bad command line in one line naming the option, help that names the
/// environment and the secret's sources, the SDK's logs on request, certificate sign-in from the settings.
/// </summary>
public class CommandLineTests
{
    // One case here for what the figure does not check (nothing on standard output, a single line); docs/cli.md
    // (CliFigureTests) runs every other bad input.
    [TestCase("emulator", "--port", "abc", "--port: 'abc' is not a whole number from 0 to 65535")]
    public async Task A_bad_value_is_one_line_naming_the_option_and_exits_with_the_usage_code(string command, string option, string value, string message)
    {
        var (exitCode, output, errors) = await CliProcess.RunAsync([command, option, value]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(output, Is.Empty, "no help page, no result");
        Assert.That(errors.TrimEnd().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith($"knocknoc-entra: {message} (see 'knocknoc-entra {command} --help')").And.Not.Contain("Exception"));
    }

    [Test]
    public async Task Help_names_the_environment_variables_where_the_secret_comes_from_and_the_exit_codes()
    {
        var show = await CliProcess.RunAsync(["show", "--help"]);
        var emulator = await CliProcess.RunAsync(["emulator", "--help"]);

        Assert.That(show.ExitCode, Is.Zero, show.Errors);
        Assert.That(show.Output, Does.Contain("KNOCKNOC_ENTRA_CONFIG").And.Contain("KNOCKNOC_ENTRA_CLIENT_SECRET_FILE").And.Contain("KNOCKNOC_ENTRA_CERTIFICATE_FILE").And.Contain("KNOCKNOC_ENTRA_CA_FILE"));
        Assert.That(show.Output, Does.Contain("The secret is never an option").And.Contain("credential=managed_identity"));
        Assert.That(show.Output, Does.Contain($"{ExitCodes.Usage} usage, {ExitCodes.Configuration} configuration"));
        Assert.That(show.Output, Does.Contain("--log-level").And.Contain("--verbose"));
        Assert.That(emulator.Output, Does.Not.Contain("KNOCKNOC_ENTRA_CLIENT_SECRET"), "the emulator reads no configuration");
    }

    [Test]
    public async Task Verbose_shows_the_SDKs_logs_on_standard_error_and_nothing_without_it()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_logs", ["192.0.2.0/32"]);

        var quiet = await CliProcess.RunAsync(tenant.Arguments("show"), tenant.Environment(location.Id));
        var verbose = await CliProcess.RunAsync(tenant.Arguments("show", "--verbose"), tenant.Environment(location.Id));

        Assert.That((quiet.ExitCode, verbose.ExitCode), Is.EqualTo((0, 0)), verbose.Errors);
        Assert.That(quiet.Errors, Is.Empty);
        Assert.That(verbose.Errors, Does.Match(@"(?m)^debug Knocknoc\.Entra\.Sdk\.Graph\.NamedLocationClient\[1000\] Graph GET "));
        Assert.That(verbose.Errors, Does.Contain("[1002] Access token acquired").And.Not.Contain(tenant.Application.ClientSecret));
        Assert.That(verbose.Output, Is.EqualTo(quiet.Output), "logs never mix into the result");
    }

    [Test]
    public async Task A_certificate_from_the_settings_signs_in_without_a_secret()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        tenant.Application.AcceptsClientAssertions = true;
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_cert", ["192.0.2.0/32"]);
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=knocknoc cli", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var file = Path.Combine(tenant.Directory, "app.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        var environment = tenant.Environment(location.Id);
        environment["KNOCKNOC_ENTRA_CLIENT_SECRET"] = null;
        environment["KNOCKNOC_ENTRA_CERTIFICATE_FILE"] = file;

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("show", "--json"), environment);

        Assert.That(exitCode, Is.Zero, errors);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("displayName").GetString(), Is.EqualTo("knocknoc_cert"));
        Assert.That(tenant.Emulator.Journal.Count(entry => !entry.IsGraph && entry.Status == 200), Is.EqualTo(1), "one token, by client assertion");
    }
}
