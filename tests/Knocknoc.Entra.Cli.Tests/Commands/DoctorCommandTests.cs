using System.Text.Json;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary><c>doctor</c> as a process against the loopback emulator: each check, its status and the exit code.</summary>
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class DoctorCommandTests
{
    [Test]
    public async Task All_ok_with_an_enabled_policy_names_the_policy_and_exits_0()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        tenant.Tenant.AddPolicy("Block outside Knocknoc", "enabled", ["All"], [location.Id]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, output + errors);
        foreach (var name in new[] { "configuration", "token", "permission", "location", "name guard", "capacity", "policies" })
        {
            Assert.That(output, Does.Match($@"(?m)^ok\s+{name}\s"), name);
        }

        Assert.That(output, Does.Contain("'Block outside Knocknoc'").And.Contain("1 of 2000 ranges used").And.Not.Match(@"(?m)^(warn|fail) "));
        Assert.That(output + errors, Does.Not.Contain(tenant.Application.ClientSecret), "never the secret");
        Assert.That(tenant.Emulator.Journal.Where(entry => entry.Method is "PATCH" or "POST" or "DELETE" && entry.IsGraph), Is.Empty, "doctor never writes");
    }

    [Test]
    public async Task A_report_only_policy_warns_and_exits_0()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        tenant.Tenant.AddPolicy("Trial", "enabledForReportingButNotEnforced", [location.Id]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, output + errors);
        Assert.That(output, Does.Match(@"(?m)^warn\s+policies\s.*'Trial'.*report-only does not enforce"));
    }

    [Test]
    public async Task No_policy_warns_that_the_location_changes_nothing()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        var other = tenant.Tenant.AddIpNamedLocation("knocknoc_other", ["198.51.100.2/32"]);
        tenant.Tenant.AddPolicy("Elsewhere", "enabled", [other.Id]);
        tenant.Tenant.AddPolicy("Off", "disabled", [location.Id]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor", "--location-name", "knocknoc_doc"), tenant.Environment());

        Assert.That(exitCode, Is.Zero, output + errors);
        Assert.That(output, Does.Match(@"(?m)^warn\s+policies\s.*'Off'.*off"));

        tenant.Tenant.AddPolicy("Unrelated", "enabled");
        var none = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(other.Id));
        Assert.That(none.ExitCode, Is.Zero, none.Output + none.Errors);
        Assert.That(none.Output, Does.Match(@"(?m)^ok\s+policies\s.*'Elsewhere'"));

        var alone = tenant.Tenant.AddIpNamedLocation("knocknoc_alone", ["198.51.100.3/32"]);
        var unused = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(alone.Id));
        Assert.That(unused.ExitCode, Is.Zero, unused.Output + unused.Errors);
        Assert.That(unused.Output, Does.Match(@"(?m)^warn\s+policies\s+no policy uses this location, so it changes nothing"));
    }

    [Test]
    public async Task An_expired_secret_fails_the_token_check_with_its_cause_and_exits_1()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        tenant.Application.SecretExpired = true;

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^ok\s+configuration\s"));
        Assert.That(output, Does.Match(@"(?m)^fail\s+token\s.*secret has expired.*\[ENTRA001\]"));
        Assert.That(output, Does.Not.Match(@"(?m)^\S+\s+permission\s"), "the chain stops where later checks cannot run");
        Assert.That(output + errors, Does.Not.Contain(tenant.Application.ClientSecret), "never the secret");
    }

    [Test]
    public async Task A_missing_permission_fails_with_ENTRA002_and_names_it()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        tenant.Application.Permissions = GraphPermissions.None;

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^ok\s+token\s"));
        Assert.That(output, Does.Match(@"(?m)^fail\s+permission\s.*Policy\.Read\.All.*\[ENTRA002\]"));
    }

    [Test]
    public async Task A_policy_read_that_fails_otherwise_keeps_the_earlier_checks_and_fails_with_its_code()
    {
        // The emulator's clock stands still: after the first Graph call (the named locations) every call falls inside
        // the tenant's rate limit, so the policy read is throttled through every retry (ENTRA005), not refused (ENTRA002).
        var clock = new AutoAdvancingTimeProvider();
        await using var tenant = await LoopbackTenant.StartAsync(rateLimited: true, time: clock);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^ok\s+configuration\s"), output + errors);
        Assert.That(output, Does.Match(@"(?m)^ok\s+token\s"), output + errors);
        Assert.That(output, Does.Match(@"(?m)^fail\s+permission\s.*Conditional Access policies.*\[ENTRA005\]"), output + errors);
        Assert.That(output + errors, Does.Not.Contain(tenant.Application.ClientSecret), "never the secret");

        // The same with --json, one rate-limit interval later so that its first call is accepted again.
        clock.Advance(TimeSpan.FromSeconds(1));
        var json = await CliProcess.RunAsync(tenant.Arguments("doctor", "--json"), tenant.Environment(location.Id));
        Assert.That(json.ExitCode, Is.EqualTo(1), json.Output + json.Errors);
        using var document = JsonDocument.Parse(json.Output);
        var checks = document.RootElement.EnumerateArray().ToList();
        Assert.That(checks.Select(check => check.GetProperty("name").GetString()), Is.EqualTo(new[] { "configuration", "token", "permission" }));
        Assert.That(checks.Select(check => check.GetProperty("status").GetString()), Is.EqualTo(new[] { "ok", "ok", "fail" }));
        Assert.That(checks[^1].GetProperty("code").GetString(), Is.EqualTo("ENTRA005"));
    }

    [Test]
    public async Task A_countries_location_fails_with_ENTRA053()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddCountryNamedLocation("knocknoc_countries", "FR", "DE");

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^fail\s+location\s.*countries.*\[ENTRA053\]"));
    }

    [Test]
    public async Task A_name_without_the_prefix_fails_with_ENTRA060()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("Head office", ["198.51.100.1/32"]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^ok\s+location\s"));
        Assert.That(output, Does.Match(@"(?m)^fail\s+name guard\s.*'Head office'.*knocknoc_.*\[ENTRA060\]"));
    }

    [Test]
    public async Task Missing_settings_fail_the_configuration_check_listing_them()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var environment = tenant.Environment();
        environment["KNOCKNOC_ENTRA_CLIENT_SECRET"] = null;

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor"), environment);

        Assert.That(exitCode, Is.EqualTo(1), output + errors);
        Assert.That(output, Does.Match(@"(?m)^fail\s+configuration\s.*client_secret.*location_id"));
        Assert.That(output, Does.Not.Contain("token"));
    }

    [Test]
    public async Task Json_prints_the_checks_as_an_array_of_name_status_detail_code()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doc", ["198.51.100.1/32"]);
        tenant.Tenant.AddPolicy("Trial", "enabledForReportingButNotEnforced", [location.Id]);
        tenant.Application.Permissions = GraphPermissions.PolicyReadAll;

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("doctor", "--json"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, output + errors);
        using var json = JsonDocument.Parse(output);
        var checks = json.RootElement.EnumerateArray().ToList();
        Assert.That(checks.Select(check => check.GetProperty("name").GetString()), Is.EqualTo(new[] { "configuration", "token", "permission", "location", "name guard", "capacity", "policies", "revocation", "cae ranges", "trust" }));
        Assert.That(checks.Select(check => check.GetProperty("status").GetString()), Is.EqualTo(new[] { "ok", "ok", "ok", "ok", "ok", "ok", "warn", "warn", "ok", "ok" }), "a report-only policy alone: a revoked address loses nothing");
        Assert.That(checks.All(check => check.GetProperty("detail").GetString()!.Length > 0), Is.True);
        Assert.That(checks.All(check => check.GetProperty("code").ValueKind == JsonValueKind.Null), Is.True);

        tenant.Application.SecretExpired = true;
        var failed = await CliProcess.RunAsync(tenant.Arguments("doctor", "--json"), tenant.Environment(location.Id));
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Output + failed.Errors);
        using var failedJson = JsonDocument.Parse(failed.Output);
        var last = failedJson.RootElement.EnumerateArray().Last();
        Assert.That(last.GetProperty("name").GetString(), Is.EqualTo("token"));
        Assert.That(last.GetProperty("status").GetString(), Is.EqualTo("fail"));
        Assert.That(last.GetProperty("code").GetString(), Is.EqualTo("ENTRA001"));
    }
}
