using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.Configuration;

namespace Knocknoc.Entra.Cli.Tests.Configuration;

/// <summary>The configuration file's parser and the precedence file &lt; environment &lt; options, in process.</summary>
public class CliSettingsTests
{
    private const string Tenant = "11111111-1111-1111-1111-111111111111";
    private const string Client = "22222222-2222-2222-2222-222222222222";
    private static readonly Dictionary<string, string?> NoOptions = [];

    [Test]
    public void The_older_integrations_credentials_file_parses_with_comments_and_blank_lines()
    {
        var settings = SettingsFile.Parse("# Knocknoc agent\n\ntenant_id = t1\r\nclient_id=c1\nclient_secret=s=cr=t\nacl.vpn=abc\n", "creds");

        Assert.That(settings, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["tenant_id"] = "t1",
            ["client_id"] = "c1",
            ["client_secret"] = "s=cr=t",
            ["acl.vpn"] = "abc",
        }));
    }

    [TestCase("tenant=x", "creds:2: unknown key (the line is not shown")]
    [TestCase("just text", "creds:2: expected key=value")]
    [TestCase("tenant_id=", "creds:2: 'tenant_id' has no value")]
    [TestCase("client_id=again", "creds:2: 'client_id' is given twice")]
    [TestCase("acl.=x", "creds:2: unknown key (the line is not shown")]
    [TestCase("acl.vpn=", "creds:2: an acl.NAME key has no value")]
    public void A_bad_line_is_an_error_naming_the_line(string line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => SettingsFile.Parse($"client_id=c\n{line}\n", "creds"))!;

        Assert.That(error.Message, Does.StartWith(message));
    }

    [TestCase("client_secret S3cr3tV4lue=1")]
    [TestCase("client_secret=S3cr3tV4lue\nclient-secret = S3cr3tV4lue")]
    [TestCase("S3cr3tV4lue")]
    [TestCase("S3cr3tV4lue=")]
    [TestCase("acl.S3cr3tV4lue=")]
    [TestCase("acl.S3cr3tV4lue=a\nacl.S3cr3tV4lue=b")]
    [TestCase("acl.S3cr3t V4lue=a")]
    public void A_bad_line_never_shows_a_value_or_a_key_that_may_be_one(string lines)
    {
        var error = Assert.Throws<ConfigurationException>(() => SettingsFile.Parse($"client_id=c\n{lines}\n", "creds"))!;

        Assert.That(error.Message, Does.StartWith("creds:").And.Not.Contain("S3cr3t").And.Not.Contain("V4lue"));
    }

    [TestCase("tenant_id", "tenant_id is neither")]
    [TestCase("client_id", "client_id is not an application")]
    [TestCase("graph_url", "graph_url is not an absolute")]
    [TestCase("authority_host", "authority_host is not an absolute")]
    public void A_setting_with_a_wrong_value_is_named_without_its_value(string key, string message)
    {
        // A secret pasted into the wrong setting must not be printed by the error about that setting.
        var values = new Dictionary<string, string?>
        {
            ["KNOCKNOC_ENTRA_TENANT_ID"] = Tenant,
            ["KNOCKNOC_ENTRA_CLIENT_ID"] = Client,
            ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = "s",
            [SettingKeys.Variable(key)] = "S3cr3t~V4lue",
        };

        var settings = CliSettings.Load(null, name => values.GetValueOrDefault(name), NoOptions);

        var error = Assert.Throws<ConfigurationException>(() => settings.Check(needLocation: false))!;
        Assert.That(error.Message, Does.Contain(message).And.Not.Contain("S3cr3t").And.Not.Contain("V4lue"));
    }

    [Test]
    public void The_environment_overrides_the_file_and_options_override_both()
    {
        using var file = new TempFile("tenant_id=file\nclient_id=file\nclient_secret=file\ngraph_url=https://file.example/\nlocation_name=knocknoc_file\n");
        var environment = new Dictionary<string, string?>
        {
            ["KNOCKNOC_ENTRA_CONFIG"] = file.Path,
            ["KNOCKNOC_ENTRA_CLIENT_ID"] = "env",
            ["KNOCKNOC_ENTRA_GRAPH_URL"] = "https://env.example/",
        };
        var options = new Dictionary<string, string?> { ["graph_url"] = "https://127.0.0.1:8443/", ["location_id"] = "loc-1", ["authority_host"] = null };

        var settings = CliSettings.Load(null, name => environment.GetValueOrDefault(name), options);

        Assert.That(settings.ConfigFile, Is.EqualTo(file.Path));
        Assert.That(settings.TenantId, Is.EqualTo("file"));
        Assert.That(settings.ClientId, Is.EqualTo("env"));
        Assert.That(settings.Cloud().GraphRoot, Is.EqualTo(new Uri("https://127.0.0.1:8443/")));
        Assert.That(settings.Cloud().AuthorityHost, Is.EqualTo(EntraCloud.Global.AuthorityHost));
        Assert.That(settings.LocationId, Is.EqualTo("loc-1"));
        Assert.That(settings.LocationName, Is.Null, "the option's location id replaces the file's location name");
        Assert.That(settings.NamePrefix, Is.EqualTo("knocknoc_"));
        Assert.That(settings.Missing(needLocation: true), Is.Empty);
    }

    [Test]
    public void The_secret_file_of_the_environment_replaces_the_files_secret_and_is_read_trimmed()
    {
        using var config = new TempFile($"tenant_id={Tenant}\nclient_id={Client}\nclient_secret=from-file\n");
        using var secret = new TempFile("from-secret-file\n");
        var environment = new Dictionary<string, string?> { ["KNOCKNOC_ENTRA_CLIENT_SECRET_FILE"] = secret.Path };

        var settings = CliSettings.Load(config.Path, name => environment.GetValueOrDefault(name), NoOptions);

        Assert.That(settings.ReadSecret(), Is.EqualTo("from-secret-file"));
        Assert.That(settings.Credential().ClientId, Is.EqualTo(Client));
    }

    [Test]
    public void Missing_settings_are_listed_together()
    {
        var settings = CliSettings.Load(null, _ => null, NoOptions);

        var error = Assert.Throws<ConfigurationException>(() => settings.Require(needLocation: true))!;

        Assert.That(error.Message, Does.Contain("tenant_id").And.Contain("client_id").And.Contain("client_secret").And.Contain("location_id or location_name"));
        Assert.That(error.Message, Does.Contain("no configuration file"));
    }

    [Test]
    public void A_client_id_that_is_not_a_GUID_is_a_configuration_error()
    {
        var environment = new Dictionary<string, string?> { ["KNOCKNOC_ENTRA_TENANT_ID"] = Tenant, ["KNOCKNOC_ENTRA_CLIENT_ID"] = "c", ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = "s" };

        var settings = CliSettings.Load(null, name => environment.GetValueOrDefault(name), NoOptions);

        Assert.That(() => settings.Credential(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("client_id").And.Message.Not.Contain("'c'"));
    }

    [Test]
    public void A_plain_http_authority_is_refused()
    {
        var options = new Dictionary<string, string?> { ["authority_host"] = "http://127.0.0.1:1/" };

        var settings = CliSettings.Load(null, _ => null, options);

        Assert.That(() => settings.Cloud(), Throws.TypeOf<ConfigurationException>().With.Message.Contains("authority_host must be HTTPS"));
    }

    [Test]
    public void Both_alternatives_in_one_source_are_an_error()
    {
        using var config = new TempFile("client_secret=a\nclient_secret_file=b\n");

        Assert.That(() => CliSettings.Load(config.Path, _ => null, NoOptions), Throws.TypeOf<ConfigurationException>().With.Message.Contains("both client_secret and client_secret_file"));
    }

    [Test]
    public void The_state_directory_defaults_to_the_users_own_state_directory_never_the_shared_temporary_one()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/home/alice", ["TMPDIR"] = "/tmp" };

        var settings = CliSettings.Load(null, name => environment.GetValueOrDefault(name), NoOptions, isRoot: false);

        Assert.That(settings.StateDirectory, Is.EqualTo(Path.Combine("/home/alice", ".local", "state", "knocknoc-entra")));
    }

    [Test]
    public void Without_a_home_or_a_state_dir_the_state_directory_is_a_usage_error()
    {
        var settings = CliSettings.Load(null, _ => null, NoOptions, isRoot: false);

        Assert.That(() => settings.StateDirectory, Throws.TypeOf<ConfigurationException>().With.Message.Contains("state_dir"));
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string text)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
