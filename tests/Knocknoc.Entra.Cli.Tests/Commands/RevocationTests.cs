using System.Runtime.Versioning;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// A revocation is never lost: a range someone removed is never put back by a later call that did not add it,
/// whether the removal was the operator's (<c>revoke</c>, <c>flush</c>), the portal's, or a write cut short by a kill.
/// With a consistency window the emulator answers reads with the version before a write for a while, as Graph may.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class RevocationTests
{
    [TestCase(0)]
    [TestCase(2)]
    public async Task A_revoke_is_never_undone_by_the_next_script_add(int consistencySeconds)
    {
        await using var tenant = await StartAsync(consistencySeconds);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        await Task.Delay(TimeSpan.FromSeconds(consistencySeconds));
        var environment = tenant.Environment(location.Id);

        var add = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.77"), environment);
        var revoke = await CliProcess.RunAsync(tenant.Arguments("revoke", "203.0.113.77"), environment);
        var next = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.99"), environment);

        Assert.That((add.ExitCode, revoke.ExitCode, next.ExitCode), Is.EqualTo((0, 0, 0)), add.Errors + revoke.Errors + next.Errors);
        Assert.That(revoke.Output, Does.Contain("- 203.0.113.77/32"));
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.99/32" }), ".77 stays revoked");
    }

    [Test]
    public async Task A_flush_is_never_undone_by_the_next_script_add()
    {
        await using var tenant = await StartAsync(2);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var environment = tenant.Environment(location.Id);

        var add = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.77"), environment);
        var flush = await CliProcess.RunAsync(tenant.Arguments("flush"), environment);
        var next = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.99"), environment);

        Assert.That((add.ExitCode, flush.ExitCode, next.ExitCode), Is.EqualTo((0, 0, 0)), add.Errors + flush.Errors + next.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.99/32" }));
    }

    [Test]
    public async Task An_edit_in_the_portal_right_after_a_write_is_never_undone()
    {
        await using var tenant = await StartAsync(0);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var environment = tenant.Environment();

        var add = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.77"), environment);
        tenant.Tenant.SetIpRanges(location.Id, ["198.51.100.5/32"]);
        var next = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.99"), environment);

        Assert.That((add.ExitCode, next.ExitCode), Is.EqualTo((0, 0)), add.Errors + next.Errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "198.51.100.5/32", "203.0.113.99/32" }), "the portal's removal of .77 holds, its own range stays");
    }

    [Test]
    public async Task A_write_cut_short_by_a_kill_is_finished_by_the_next_drain_taking_back_what_nobody_was_told()
    {
        await using var tenant = await StartAsync(0);
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);

        // What kill -9 of a drainer during its PATCH leaves when the PATCH landed: Entra holds the change, the journal
        // says the write was sent and not answered, and the change's file has no live process (nobody holds its lock).
        tenant.Tenant.SetIpRanges(location.Id, ["203.0.113.66/32"]);
        var stem = "00000000000000000001-0000000001-0123456789abcdef0123456789abcdef";
        await File.WriteAllTextAsync(Path.Combine(StatePaths.Create(StatePaths.Spool(tenant, "demo")), stem + ".change"), "knocknoc-entra-change 1\nadd 203.0.113.66\n");
        var journal = new LocationJournal(
            WriteOutcome.Unknown,
            Settled: false,
            TimeProvider.System.GetUtcNow(),
            location.ModifiedDateTime,
            null,
            CidrSet.Create(Cidr.Parse("203.0.113.66/32")),
            [new JournalAdd(Cidr.Parse("203.0.113.66/32"), [$"acl/demo/spool/{stem}"])],
            CidrSet.Create(Cidr.Parse("192.0.2.0/32")),
            CidrSet.Empty);
        await File.WriteAllTextAsync(Path.Combine(StatePaths.Create(StatePaths.Location(tenant, location.Id)), "journal"), JournalText.Format(journal));

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.67"), tenant.Environment());

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(errors, Does.Contain("cut short").And.Contain("203.0.113.66/32"));
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.67/32" }), "the killed process's add is taken back");
        Assert.That(Directory.EnumerateFiles(StatePaths.Spool(tenant, "demo"), "*.change"), Is.Empty, "and never applied again");
    }

    private static Task<LoopbackTenant> StartAsync(int consistencySeconds) =>
        LoopbackTenant.StartAsync(consistencyWindow: TimeSpan.FromSeconds(consistencySeconds));
}
