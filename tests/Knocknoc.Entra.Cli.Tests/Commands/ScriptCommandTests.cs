using System.Globalization;
using System.Runtime.Versioning;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary><c>script add|del|flush</c> as Knocknoc runs them: many processes at once against the rate-limited emulator.</summary>
[UnsupportedOSPlatform("windows")]
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class ScriptCommandTests
{
    [Test]
    public async Task Fifty_concurrent_adds_all_land_in_a_handful_of_PATCHes()
    {
        await using var tenant = await LoopbackTenant.StartAsync(rateLimited: true);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);
        var environment = tenant.Environment();
        var addresses = Enumerable.Range(1, 50).Select(i => string.Create(CultureInfo.InvariantCulture, $"203.0.113.{i}")).ToList();

        var processes = addresses.Select(address => CliProcess.Start(tenant.Arguments("script", "add", "vpn", address), environment)).ToList();
        try
        {
            using var guard = new CancellationTokenSource(CliProcess.Guard);
            var exitCodes = await Task.WhenAll(processes.Select(process => process.WaitForExitAsync(guard.Token)));

            Assert.That(exitCodes, Is.All.Zero, string.Join("\n", processes.Select(p => p.Errors).Where(e => e.Length > 0)));
        }
        finally
        {
            processes.ForEach(process => process.Dispose());
        }

        var held = tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges;
        var patches = tenant.Patches;
        TestContext.Out.WriteLine($"50 concurrent script add: {patches} PATCHes, location holds {string.Join(", ", held)}");
        var expected = CidrSet.Create(addresses.Select(address => Cidr.Parse(address + "/32")));
        Assert.That(CidrSet.Create(held.Select(Cidr.Parse)), Is.EqualTo(expected), "all 50 addresses, nothing else (no sentinel)");
        Assert.That(patches, Is.InRange(1, 10), "one write per drain, not one per process");
        Assert.That(Directory.EnumerateFiles(Path.Combine(tenant.Directory, "state", "acl", "vpn", "spool"), "*.change"), Is.Empty, "every change drained");
    }

    [Test]
    public async Task Del_removes_one_of_two_and_flush_leaves_the_sentinel_through_an_explicit_acl_mapping()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_office", ["198.51.100.1/32", "198.51.100.7/32"]);
        var config = Path.Combine(tenant.Directory, "knocknoc.conf");
        await File.WriteAllTextAsync(config, $"# Knocknoc agent\nacl.office={location.Id}\n");
        var environment = tenant.Environment();
        environment["KNOCKNOC_ENTRA_CONFIG"] = config;

        var del = await CliProcess.RunAsync(tenant.Arguments("script", "del", "office", "198.51.100.7"), environment);

        Assert.That(del.ExitCode, Is.Zero, del.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "198.51.100.1/32" }));

        var flush = await CliProcess.RunAsync(tenant.Arguments("script", "flush", "office"), environment);

        Assert.That(flush.ExitCode, Is.Zero, flush.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task A_drain_right_after_another_waits_for_a_read_that_shows_the_first_write()
    {
        // Reads show the version before a write for two seconds, as Graph's replicas may.
        await using var tenant = await LoopbackTenant.StartAsync(consistencyWindow: TimeSpan.FromSeconds(2));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_office", ["192.0.2.0/32"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var environment = tenant.Environment();

        var first = await CliProcess.RunAsync(tenant.Arguments("script", "add", "office", "203.0.113.1"), environment);
        var second = await CliProcess.RunAsync(tenant.Arguments("script", "add", "office", "203.0.113.2"), environment);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Errors + second.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.1/32", "203.0.113.2/32" }), "the second write kept the first's address");
    }

    [Test]
    public async Task An_acl_without_its_prefixed_location_fails_with_the_ENTRA_code_and_leaves_nothing_queued()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        tenant.Tenant.AddIpNamedLocation("vpn", ["198.51.100.1/32"]);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "vpn", "203.0.113.9"), tenant.Environment());

        Assert.That(exitCode, Is.EqualTo(ExitCodes.EntraLocation));
        Assert.That(errors, Does.Contain("ENTRA052"));
        Assert.That(tenant.Patches, Is.Zero, "'vpn' lacks the prefix: never touched");
        Assert.That(Directory.EnumerateFiles(Path.Combine(tenant.Directory, "state", "acl", "vpn", "spool"), "*.change"), Is.Empty, "a change reported as failed is never applied later");
    }

    [Test]
    public async Task A_failed_add_is_never_applied_by_a_later_successful_one()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var wrongSecret = tenant.Environment();
        wrongSecret["KNOCKNOC_ENTRA_CLIENT_SECRET"] = "not-the-secret";

        var failed = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.210"), wrongSecret);
        var later = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.211"), tenant.Environment());

        Assert.That(failed.ExitCode, Is.EqualTo(ExitCodes.EntraAccess));
        Assert.That(failed.Errors, Does.Contain("ENTRA001").And.Not.Contain("not-the-secret"));
        Assert.That(later.ExitCode, Is.Zero, later.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.211/32" }), "Knocknoc was told the first add failed: it never lands");
    }

    [Test]
    public async Task An_empty_change_file_is_set_aside_as_ENTRA065_and_the_acl_goes_on()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var environment = tenant.Environment();
        var first = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.1"), environment);
        Assert.That(first.ExitCode, Is.Zero, first.Errors);

        // What a power loss could leave: a change file renamed into place before its data reached the disk (planted
        // in the layout of the tool before the fix too).
        var empty = Path.Combine(StatePaths.Create(StatePaths.Spool(tenant, "demo")), "00000000000000000001-0000000001-0123456789abcdef0123456789abcdef.change");
        await File.WriteAllBytesAsync(empty, []);
        await File.WriteAllBytesAsync(Path.Combine(StatePaths.Create(Path.Combine(StatePaths.Root(tenant), "demo", "spool")), Path.GetFileName(empty)), []);

        var add = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.2"), environment);
        var del = await CliProcess.RunAsync(tenant.Arguments("script", "del", "demo", "203.0.113.1"), environment);

        Assert.That((add.ExitCode, del.ExitCode), Is.EqualTo((0, 0)), add.Errors + del.Errors);
        Assert.That(add.Errors, Does.Contain("ENTRA065").And.Contain("is empty").And.Not.Contain("   at "), "reported once, without a stack trace");
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.2/32" }));
        Assert.That(File.Exists(Path.Combine(StatePaths.AclQuarantine(tenant, "demo"), Path.GetFileName(empty))), Is.True, "kept aside for a person to look at");
    }
}
