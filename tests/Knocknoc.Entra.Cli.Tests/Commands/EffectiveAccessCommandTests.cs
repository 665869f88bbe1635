using System.Text.Json;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary><c>doctor</c>'s residual window, range limit, trust and What If checks, and <c>whatif</c>, as processes against the loopback emulator.</summary>
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class EffectiveAccessCommandTests
{
    [Test]
    public async Task Doctor_names_each_policys_window_and_warns_about_CAE_disabled_the_range_limit_and_trust()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"], isTrusted: true);
        tenant.Tenant.AddPolicy("Strict", "enabled", ["All"], [location.Id], "strictLocation");
        tenant.Tenant.AddPolicy("No CAE", "enabled", ["All"], [location.Id], "disabled");
        tenant.Tenant.AddPolicy("MFA outside trusted", "enabled", ["All"], ["AllTrusted"]);
        tenant.Tenant.AddIpNamedLocation("big", Enumerable.Range(0, 4100).Select(i => $"100.{i / 256}.{i % 256}.0/24"));

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, "warnings alone exit 0: " + output + errors);
        Assert.That(output, Does.Match(@"(?m)^warn\s+revocation\s+'Strict': strict location enforcement: existing sessions of CAE-capable apps end within minutes.*'No CAE': CAE disabled by this policy: existing sessions keep access up to 1 hour"));
        Assert.That(output, Does.Match(@"(?m)^warn\s+cae ranges\s+4,101 of 5,000 IP ranges in the tenant's named locations \(82%\): above 80% of CAE's limit"));
        Assert.That(output, Does.Match(@"(?m)^warn\s+trust\s+the location is marked trusted: .*Identity Protection.*'MFA outside trusted'"));
    }

    [Test]
    public async Task Doctor_with_a_user_passes_when_Entras_What_If_shows_the_location_deciding_and_fails_when_it_does_not()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        var user = tenant.Tenant.AddUser("alice@contoso.example");
        var trial = tenant.Tenant.AddPolicy("Trial", "enabledForReportingButNotEnforced", ["All"], [location.Id]);

        var failing = await CliProcess.RunAsync(tenant.Arguments("doctor", "--user", user.UserPrincipalName, "--json"), tenant.Environment(location.Id));
        tenant.Tenant.ReplacePolicy(trial with { State = "enabled" });
        var passing = await CliProcess.RunAsync(tenant.Arguments("doctor", "--user", user.Id), tenant.Environment(location.Id));

        Assert.That(failing.ExitCode, Is.EqualTo(1), failing.Output + failing.Errors);
        var whatIf = JsonDocument.Parse(failing.Output).RootElement.EnumerateArray().Single(check => check.GetProperty("name").GetString() == "what if");
        Assert.That(whatIf.GetProperty("status").GetString(), Is.EqualTo("fail"));
        Assert.That(whatIf.GetProperty("detail").GetString(), Does.Contain("differs only by 'Trial'"));
        Assert.That(passing.ExitCode, Is.Zero, passing.Output + passing.Errors);
        Assert.That(passing.Output, Does.Match(@"(?m)^ok\s+what if\s+Entra's What If for \S+ from 198\.51\.100\.1 \(in the location\) and from 192\.0\.2\.1 \(outside\) differs by 'Trial': the location decides"));
    }

    [Test]
    public async Task Whatif_shows_each_policy_whether_it_applies_and_why_not()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        var user = tenant.Tenant.AddUser("alice@contoso.example");
        tenant.Tenant.AddPolicy("Block outside Knocknoc", "enabled", ["All"], [location.Id]);
        tenant.Tenant.AddPolicy("Off", "disabled");

        var inside = await CliProcess.RunAsync(tenant.Arguments("whatif", "--user", user.UserPrincipalName, "--ip", "198.51.100.1", "--json"), tenant.Environment());
        var outside = await CliProcess.RunAsync(tenant.Arguments("whatif", "--user", user.UserPrincipalName, "--ip", "203.0.113.50"), tenant.Environment());
        var bad = await CliProcess.RunAsync(tenant.Arguments("whatif", "--user", user.UserPrincipalName, "--ip", "not-an-address"), tenant.Environment());

        Assert.That(inside.ExitCode, Is.Zero, inside.Output + inside.Errors);
        var rows = JsonDocument.Parse(inside.Output).RootElement.EnumerateArray().ToDictionary(row => row.GetProperty("policy").GetString()!);
        Assert.That(rows["Block outside Knocknoc"].GetProperty("applies").GetBoolean(), Is.False);
        Assert.That(rows["Block outside Knocknoc"].GetProperty("reasons")[0].GetString(), Is.EqualTo("location"));
        Assert.That(rows["Off"].GetProperty("state").GetString(), Is.EqualTo("off"));
        Assert.That(outside.ExitCode, Is.Zero, outside.Output + outside.Errors);
        Assert.That(outside.Output, Does.Contain("Block outside Knocknoc").And.Contain("1 of 2 policies apply"));
        Assert.That(bad.ExitCode, Is.EqualTo(2), "a malformed address is a usage error");
        Assert.That(tenant.Emulator.Journal.Count(entry => entry.Path.EndsWith("/evaluate", StringComparison.Ordinal)), Is.EqualTo(2));
    }
}
