using System.Globalization;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary><c>script add|del|flush</c> as Knocknoc runs them: many processes at once against the rate-limited emulator.</summary>
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
        Assert.That(Directory.EnumerateFiles(Path.Combine(tenant.Directory, "state", "vpn", "spool")), Is.Empty, "every change drained");
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
    public async Task A_drain_right_after_another_builds_on_what_was_written_not_on_a_read_that_predates_it()
    {
        // Reads show the version before a write for a minute of the emulator's (stopped) clock, as Graph's replicas
        // may; the location itself is older than that.
        var clock = new AutoAdvancingTimeProvider();
        await using var tenant = await LoopbackTenant.StartAsync(consistencyWindow: TimeSpan.FromMinutes(1), time: clock);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_office", ["192.0.2.0/32"]);
        clock.Advance(TimeSpan.FromMinutes(2));
        var environment = tenant.Environment();

        var first = await CliProcess.RunAsync(tenant.Arguments("script", "add", "office", "203.0.113.1"), environment);
        var second = await CliProcess.RunAsync(tenant.Arguments("script", "add", "office", "203.0.113.2"), environment);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Errors + second.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.1/32", "203.0.113.2/32" }), "the second write kept the first's address");
    }

    [Test]
    public async Task An_acl_without_its_prefixed_location_fails_with_the_ENTRA_code_and_keeps_the_change_queued()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        tenant.Tenant.AddIpNamedLocation("vpn", ["198.51.100.1/32"]);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "vpn", "203.0.113.9"), tenant.Environment());

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("ENTRA052"));
        Assert.That(tenant.Patches, Is.Zero, "'vpn' lacks the prefix: never touched");
        Assert.That(Directory.EnumerateFiles(Path.Combine(tenant.Directory, "state", "vpn", "spool"), "*.change"), Has.Exactly(1).Items, "kept for the next run");
    }
}
