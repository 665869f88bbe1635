using System.Text.Json;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary><c>show</c>, <c>grant</c>, <c>revoke</c> and <c>flush</c> as processes against the loopback emulator.</summary>
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class OperatorCommandTests
{
    [Test]
    public async Task Grant_adds_the_host_in_one_PATCH_and_show_prints_it()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_ops", ["192.0.2.0/32"]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(output, Does.Contain("+ 203.0.113.7/32").And.Contain("- 192.0.2.0/32").And.Contain("written (one PATCH)"));
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(tenant.Patches, Is.EqualTo(1));

        var show = await CliProcess.RunAsync(tenant.Arguments("show"), tenant.Environment(location.Id));
        Assert.That(show.ExitCode, Is.Zero, show.Errors);
        Assert.That(show.Output, Does.Contain("203.0.113.7/32").And.Contain("knocknoc_ops").And.Contain("1 of 2000 ranges used"));

        var again = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7", "--json"), tenant.Environment(location.Id));
        Assert.That(again.ExitCode, Is.Zero, again.Errors);
        using var report = JsonDocument.Parse(again.Output);
        Assert.That(report.RootElement.GetProperty("written").GetBoolean(), Is.False);
        Assert.That(tenant.Patches, Is.EqualTo(1), "nothing to change, nothing written");
    }

    [Test]
    public async Task Show_json_gives_ranges_name_id_and_modified_time_finding_the_location_by_name()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_named", ["198.51.100.1/32", "198.51.100.9/32"]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("show", "--json", "--location-name", "knocknoc_named"), tenant.Environment());

        Assert.That(exitCode, Is.Zero, errors);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo(location.Id));
        Assert.That(root.GetProperty("displayName").GetString(), Is.EqualTo("knocknoc_named"));
        Assert.That(root.GetProperty("ranges").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "198.51.100.1/32", "198.51.100.9/32" }));
        Assert.That(root.TryGetProperty("modifiedDateTime", out _), Is.True);
    }

    [Test]
    public async Task Dry_runs_print_the_diff_and_send_nothing()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_dry", ["198.51.100.1/32", "198.51.100.9/32"]);

        var revoke = await CliProcess.RunAsync(tenant.Arguments("revoke", "198.51.100.9", "--dry-run", "--json"), tenant.Environment(location.Id));
        var flush = await CliProcess.RunAsync(tenant.Arguments("flush", "--dry-run"), tenant.Environment(location.Id));
        var grant = await CliProcess.RunAsync(tenant.Arguments("grant", "2001:db8::7", "--dry-run"), tenant.Environment(location.Id));

        Assert.That(revoke.ExitCode, Is.Zero, revoke.Errors);
        using var json = JsonDocument.Parse(revoke.Output);
        Assert.That(json.RootElement.GetProperty("dryRun").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("removed").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "198.51.100.9/32" }));
        Assert.That(json.RootElement.GetProperty("added").GetArrayLength(), Is.Zero);
        Assert.That(flush.ExitCode, Is.Zero, flush.Errors);
        Assert.That(flush.Output, Does.Contain("+ 192.0.2.0/32  (would add)").And.Contain("- 198.51.100.1/32  (would remove)").And.Contain("- 198.51.100.9/32  (would remove)").And.Contain("nothing sent"));
        Assert.That(grant.ExitCode, Is.Zero, grant.Errors);
        Assert.That(grant.Output, Does.Contain("+ 2001:db8::7/128  (would add)"));
        Assert.That(tenant.Emulator.Journal.Where(entry => entry.Method is "PATCH" or "POST" or "DELETE" && entry.IsGraph), Is.Empty, "nothing written");
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "198.51.100.1/32", "198.51.100.9/32" }));
    }

    [Test]
    public async Task Revoke_of_the_last_address_and_flush_leave_the_sentinel()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_rev", ["198.51.100.1/32"]);
        var other = tenant.Tenant.AddIpNamedLocation("knocknoc_flush", ["198.51.100.1/32", "203.0.113.0/24"]);

        var revoke = await CliProcess.RunAsync(tenant.Arguments("revoke", "198.51.100.1"), tenant.Environment(location.Id));
        var flush = await CliProcess.RunAsync(tenant.Arguments("flush", "--location-id", other.Id), tenant.Environment(location.Id));

        Assert.That(revoke.ExitCode, Is.Zero, revoke.Errors);
        Assert.That(flush.ExitCode, Is.Zero, flush.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
        Assert.That(tenant.Tenant.FindNamedLocation(other.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task Concurrent_grants_all_land_and_share_their_PATCHes()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_ops", ["192.0.2.0/32"]);
        var addresses = Enumerable.Range(1, 6).Select(i => $"203.0.113.{i}").ToList();

        var processes = addresses.Select(address => CliProcess.Start(tenant.Arguments("grant", address), tenant.Environment(location.Id))).ToList();
        int[] exitCodes;
        try
        {
            using var guard = new CancellationTokenSource(CliProcess.Guard);
            exitCodes = await Task.WhenAll(processes.Select(process => process.WaitForExitAsync(guard.Token)));
        }
        finally
        {
            processes.ForEach(process => process.Dispose());
        }

        Assert.That(exitCodes, Is.All.Zero, string.Join("\n", processes.Select(p => p.Errors)));
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.1/32", "203.0.113.2/31", "203.0.113.4/31", "203.0.113.6/32" }), "every grant landed");
        Assert.That(tenant.Patches, Is.InRange(1, 6));
    }

    [Test]
    public async Task A_private_address_is_refused_as_ENTRA059_before_any_request()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_priv", ["192.0.2.0/32"]);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("grant", "10.1.2.3"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Refused));
        Assert.That(errors, Does.Contain("ENTRA059"));
        Assert.That(tenant.Emulator.Journal, Is.Empty);
    }

    [Test]
    public async Task A_location_without_the_prefix_is_never_touched_ENTRA060()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("Head office", ["198.51.100.1/32"]);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("flush"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(ExitCodes.EntraLocation));
        Assert.That(errors, Does.Contain("ENTRA060"));
        Assert.That(tenant.Patches, Is.Zero);
    }

    [Test]
    public async Task A_display_name_with_control_characters_reaches_the_terminal_escaped_never_raw()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("Head office\u001b[2J\u001b[32mall good\u202e", ["198.51.100.1/32"]);

        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("flush"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.EqualTo(ExitCodes.EntraLocation));
        Assert.That(errors, Does.Contain("ENTRA060").And.Contain("Head office\\u001B[2J\\u001B[32mall good\\u202E"), "the name as Graph gave it, made visible");
        // By character: a culture-aware search ignores control characters and would find one anywhere.
        Assert.That((output + errors).IndexOfAny(['\u001b', '\u202e']), Is.EqualTo(-1), "no escape sequence nor direction override is written");
    }

    [Test]
    public async Task Missing_settings_are_a_configuration_error_listing_them()
    {
        var (exitCode, _, errors) = await CliProcess.RunAsync(["show"], new Dictionary<string, string?>
        {
            ["KNOCKNOC_ENTRA_CONFIG"] = null,
            ["KNOCKNOC_ENTRA_TENANT_ID"] = null,
            ["KNOCKNOC_ENTRA_CLIENT_ID"] = null,
            ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = null,
            ["KNOCKNOC_ENTRA_CLIENT_SECRET_FILE"] = null,
            ["KNOCKNOC_ENTRA_LOCATION_ID"] = null,
            ["KNOCKNOC_ENTRA_LOCATION_NAME"] = null,
        });

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Configuration));
        Assert.That(errors, Does.Contain("missing settings").And.Contain("tenant_id").And.Contain("client_secret").And.Contain("location_id"));
    }
}
