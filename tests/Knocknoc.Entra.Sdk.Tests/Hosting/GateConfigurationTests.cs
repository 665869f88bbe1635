using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk.Tests.Hosting;

/// <summary>Every option that is a value binds from configuration; nothing is ignored without a word.</summary>
public class GateConfigurationTests
{
    private const string LocationId = "6a1b2c3d-0000-4000-8000-00000000cc01";
    private const string Secret = "s3cret-VALUE~never-shown";

    [Test]
    public void Every_value_option_binds_from_configuration()
    {
        var options = Bind(new()
        {
            ["Entra:LocationId"] = LocationId,
            ["Entra:NameGuard:Prefix"] = "knocknoc_",
            ["Entra:Ownership"] = "shared",
            ["Entra:Sentinel"] = "192.0.2.1/32",
            ["Entra:MaxRanges"] = "500",
            ["Entra:AddressPolicy:AllowedRanges:0"] = "Documentation",
            ["Entra:AddressPolicy:AllowedRanges:1"] = "10.20.0.0/16",
            ["Entra:AddressPolicy:IPv6GrantPrefixLength"] = "64",
            ["Entra:CoalescingWindow"] = "00:00:00.250",
            ["Entra:ReadAfterWriteDelay"] = "00:02:00",
            ["Entra:DriftCheckInterval"] = "Infinite",
            ["Entra:VerifyWrites"] = "true",
            ["Entra:RetryBaseDelay"] = "00:00:10",
            ["Entra:RetryMaxDelay"] = "00:05:00",
            ["Entra:Store:Path"] = "/var/lib/knocknoc/grants.txt",
            ["Entra:Cloud"] = "China",
            ["Entra:Credential:tenantId"] = "7a1b2c3d-0000-4000-8000-00000000aa01",
            ["Entra:Credential:clientId"] = "7a1b2c3d-0000-4000-8000-00000000bb02",
            ["Entra:Credential:clientSecret"] = Secret,
            ["Entra:Resilience:MaxRetryAttempts"] = "2",
            ["Entra:Resilience:BaseDelay"] = "00:00:02",
            ["Entra:Resilience:MaxDelay"] = "00:00:30",
            ["Entra:Resilience:AttemptTimeout"] = "00:00:20",
            ["Entra:Resilience:TotalTimeout"] = "00:01:00",
            ["Entra:Resilience:TenantRequestInterval"] = "00:00:02",
            ["Entra:Resilience:TenantRequestMargin"] = "00:00:00.5",
        });

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.LocationId, Is.EqualTo(LocationId));
        Assert.That(options.NameGuard!.Allows("knocknoc_vpn") && !options.NameGuard.Allows("vpn"), Is.True);
        Assert.That(options.Ownership, Is.EqualTo(LocationOwnership.Shared));
        Assert.That(options.Sentinel, Is.EqualTo(Cidr.Parse("192.0.2.1/32")));
        Assert.That(options.MaxRanges, Is.EqualTo(500));
        Assert.That(options.AddressPolicy.AllowedRanges, Is.EquivalentTo(GrantAddressPolicy.DocumentationRanges.Add(Cidr.Parse("10.20.0.0/16"))));
        Assert.That(options.AddressPolicy.IPv6GrantPrefixLength, Is.EqualTo(64));
        Assert.That((options.CoalescingWindow, options.ReadAfterWriteDelay, options.DriftCheckInterval), Is.EqualTo((TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan)));
        Assert.That((options.VerifyWrites, options.RetryBaseDelay, options.RetryMaxDelay), Is.EqualTo((true, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5))));
        Assert.That((options.Store as FileGrantStore)?.Path, Is.EqualTo("/var/lib/knocknoc/grants.txt"));
        Assert.That(options.Cloud, Is.SameAs(EntraCloud.China));
        Assert.That(options.Credential!.ClientId, Is.EqualTo("7a1b2c3d-0000-4000-8000-00000000bb02"));
        Assert.That(options.Credential.ToString(), Does.Not.Contain(Secret));
        var resilience = options.Resilience;
        Assert.That(
            (resilience.MaxRetryAttempts, resilience.BaseDelay, resilience.MaxDelay, resilience.AttemptTimeout, resilience.TotalTimeout, resilience.TenantRequestInterval, resilience.TenantRequestMargin),
            Is.EqualTo((2, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500))));
    }

    [Test]
    public void A_list_may_come_as_one_comma_separated_value_as_an_environment_variable_gives_it()
    {
        var options = Bind(new() { ["Entra:AddressPolicy:AllowedRanges"] = "Documentation, 10.20.0.0/16" });

        Assert.That(options.AddressPolicy.AllowedRanges, Has.Member(Cidr.Parse("10.20.0.0/16")).And.Member(Cidr.Parse("203.0.113.0/24")));
    }

    [Test]
    public void A_custom_cloud_binds_from_its_endpoints_and_scope()
    {
        var options = Bind(new()
        {
            ["Entra:Cloud:AuthorityHost"] = "https://login.microsoftonline.com/",
            ["Entra:Cloud:GraphRoot"] = "https://graph-proxy.example/",
            ["Entra:Cloud:GraphScope"] = "https://graph.microsoft.com/.default",
        });

        Assert.That((options.Cloud.GraphRoot.Host, options.Cloud.GraphScope), Is.EqualTo(("graph-proxy.example", "https://graph.microsoft.com/.default")));
    }

    [TestCase("managedidentity", null, "ManagedIdentity")]
    [TestCase("ManagedIdentity", "7a1b2c3d-0000-4000-8000-00000000bb02", "7a1b2c3d-0000-4000-8000-00000000bb02")]
    public void A_managed_identity_binds_by_name(string credential, string? clientId, string shown)
    {
        var settings = new Dictionary<string, string?> { ["Entra:Credential:credential"] = credential };
        if (clientId is not null)
        {
            settings["Entra:Credential:clientId"] = clientId;
        }

        var options = Bind(settings);

        Assert.That(options.ConfigurationProblemsText(), Is.Empty);
        Assert.That(options.Credential!.ToString(), Does.Contain(shown));
    }

    [Test]
    public async Task A_federated_token_file_is_read_at_each_sign_in()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "first.assertion");
            var options = Bind(new()
            {
                ["Entra:Credential:tenantId"] = "7a1b2c3d-0000-4000-8000-00000000aa01",
                ["Entra:Credential:clientId"] = "7a1b2c3d-0000-4000-8000-00000000bb02",
                ["Entra:Credential:tokenFilePath"] = file,
            });
            var assertion = (Knocknoc.Entra.Sdk.EntraCredential.ClientAssertionCredential)options.Credential!;

            Assert.That(await assertion.GetAssertion(CancellationToken.None), Is.EqualTo("first.assertion"));
            await File.WriteAllTextAsync(file, "rotated.assertion");
            Assert.That(await assertion.GetAssertion(CancellationToken.None), Is.EqualTo("rotated.assertion"), "the platform rotates the file");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Unknown_keys_and_unusable_values_are_each_named_and_no_secret_is_shown()
    {
        var options = Bind(new()
        {
            ["Entra:LocationId"] = LocationId,
            ["Entra:Sentinal"] = "192.0.2.1/32",
            ["Entra:Cloud"] = "Mars",
            ["Entra:MaxRanges"] = "lots",
            ["Entra:Ownership"] = "1",
            ["Entra:Resilience:MaxRetries"] = "3",
            ["Entra:Resilience:MaxRetryAttempts"] = "-1",
            ["Entra:Credential:tenantId"] = "7a1b2c3d-0000-4000-8000-00000000aa01",
            ["Entra:Credential:clientSecret"] = Secret,
            ["Entra:Credential:clientSercet"] = Secret,
        });

        var problems = options.Validate();

        Assert.That(problems, Has.Some.Contains("Entra:Sentinal is not a setting of the gate"));
        Assert.That(problems, Has.Some.Contains("Entra:Cloud: Unknown cloud 'Mars'"));
        Assert.That(problems, Has.Some.Contains("Entra:MaxRanges = 'lots' is not a whole number"));
        Assert.That(problems, Has.Some.Contains("Entra:Ownership = '1' is not Exclusive or Shared"));
        Assert.That(problems, Has.Some.Contains("Entra:Resilience:MaxRetries is not a setting of the gate"));
        Assert.That(problems, Has.Some.Contains("Resilience.MaxRetryAttempts must be between 0 and 100 (-1)"));
        Assert.That(problems, Has.Some.Contains("Entra:Credential:clientSercet is not a setting of the gate"));
        Assert.That(problems, Has.Some.Contains("Entra:Credential: give tenantId and clientId").And.Some.Contains("clientId is missing"));
        Assert.That(string.Join("\n", problems), Does.Not.Contain(Secret));
    }

    [Test]
    public void Without_a_host_the_gates_creation_lists_the_binding_problems()
    {
        var options = Bind(new() { ["Entra:LocationId"] = LocationId, ["Entra:Retry"] = "5" });

        var error = Assert.Throws<ArgumentException>(() => NamedLocationGate.Create(options))!;

        Assert.That(error.Message, Does.Contain("Entra:Retry is not a setting of the gate"));
    }

    [Test]
    public async Task A_host_runs_a_gate_configured_from_appsettings_and_fails_its_start_listing_every_problem()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var builder = bed.Builder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Good:LocationId"] = site.Location.Id,
            ["Good:NameGuard:Exact"] = "knocknoc_vpn",
            ["Good:AddressPolicy:AllowedRanges"] = "Documentation",
            ["Good:Cloud:AuthorityHost"] = EntraEmulator.Cloud.AuthorityHost.AbsoluteUri,
            ["Good:Cloud:GraphRoot"] = EntraEmulator.Cloud.GraphRoot.AbsoluteUri,
            ["Good:Credential:tenantId"] = site.Tenant.TenantId,
            ["Good:Credential:clientId"] = site.Application.ClientId,
            ["Good:Credential:clientSecret"] = site.Application.ClientSecret,
            ["Bad:LocationId"] = site.Location.Id,
            ["Bad:Resilience:MaxRetryAttempts"] = "-1",
            ["Bad:VerifyWrite"] = "true",
        });
        builder.Services.AddNamedLocationGate("good", builder.Configuration.GetSection("Good"), (_, o) =>
        {
            o.Transport = bed.Emulator.CreateHandler();
            o.TimeProvider = bed.Time;
        });
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var gate = host.Services.GetRequiredKeyedService<INamedLocationGate>("good");
            await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
            Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
            await host.StopAsync();
        }

        var broken = bed.Builder();
        broken.Configuration.AddConfiguration(builder.Configuration);
        broken.Services.AddNamedLocationGate("bad", broken.Configuration.GetSection("Bad"));
        using var brokenHost = broken.Build();
        var error = Assert.ThrowsAsync<OptionsValidationException>(() => brokenHost.StartAsync())!;

        Assert.That(error.Failures, Has.Some.Contains("Bad:VerifyWrite is not a setting of the gate"));
        Assert.That(error.Failures, Has.Some.Contains("Resilience.MaxRetryAttempts must be between 0 and 100 (-1)"), "an OptionsValidationException, not an ArgumentOutOfRangeException from the client");
        Assert.That(error.Failures, Has.Some.Contains("Set Credential (or TokenSource)"), "with every other problem");
    }

    private static NamedLocationGateOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new NamedLocationGateOptions();
        NamedLocationGateConfiguration.Bind(configuration.GetSection("Entra"), options);
        return options;
    }
}

internal static class ProblemsText
{
    public static IReadOnlyList<string> ConfigurationProblemsText(this NamedLocationGateOptions options) => options.ConfigurationProblems;
}
