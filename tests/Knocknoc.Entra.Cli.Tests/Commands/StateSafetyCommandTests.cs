using System.Runtime.Versioning;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// Nothing reaches Entra that no caller granted: files planted in the state directory are never applied, and a state
/// directory another user could write is refused. The tests plant as the same user (no other OS user is needed);
/// the tool must refuse the content, and the modes, whoever wrote them.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Parallelizable(ParallelScope.All)] // Each test its own emulator and processes; no fields.
public class StateSafetyCommandTests
{
    [Test]
    public async Task Planted_changes_never_reach_Entra_and_are_set_aside_as_ENTRA065()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);

        // Twenty /9s, as another local user planted them: bare lines (what the tool before the fix read, in its
        // layout too) and whole change files.
        var spool = StatePaths.Create(StatePaths.Spool(tenant, "demo"));
        var oldSpool = StatePaths.Create(Path.Combine(StatePaths.Root(tenant), "demo", "spool"));
        for (var i = 0; i < 20; i++)
        {
            var range = $"{40 + (2 * i)}.0.0.0/9";
            var name = $"{i:D20}-0000000001-{i:D32}.change";
            await File.WriteAllTextAsync(Path.Combine(spool, name), i % 2 == 0 ? $"add {range}\n" : $"knocknoc-entra-change 1\nadd {range}\n");
            await File.WriteAllTextAsync(Path.Combine(oldSpool, name), $"add {range}\n");
        }

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.201"), tenant.Environment());

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.201/32" }), "only what a caller granted");
        Assert.That(errors, Does.Contain("ENTRA065").And.Contain("grant address policy refuses").And.Contain("change file header"));
        Assert.That(Directory.EnumerateFiles(StatePaths.AclQuarantine(tenant, "demo")).Count(), Is.EqualTo(20));
    }

    [TestCase("")]
    [TestCase("acl/demo")]
    [TestCase("acl/demo/spool")]
    public async Task A_state_directory_others_can_write_is_refused_with_ENTRA066_naming_it(string relative)
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var directory = StatePaths.Create(Path.Combine(StatePaths.Root(tenant), relative));
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.201"), tenant.Environment());

        Assert.That(exitCode, Is.EqualTo(ExitCodes.State));
        Assert.That(errors, Does.Contain("ENTRA066").And.Contain(Path.TrimEndingDirectorySeparator(directory)).And.Contain("can be written by its group and others (mode 0777)"));
        Assert.That(tenant.Emulator.Journal, Is.Empty, "nothing read, nothing written");
    }

    [Test]
    public async Task A_planted_state_file_never_becomes_the_basis_of_a_write()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

        // The old layout's last-write record, and a well-formed journal of this location claiming a /9 was just written.
        await File.WriteAllTextAsync(Path.Combine(StatePaths.Create(Path.Combine(StatePaths.Root(tenant), "demo")), "last-write"), $"{now}\n32.0.0.0/9\n");
        var journal = Path.Combine(StatePaths.Create(StatePaths.Location(tenant, location.Id)), "journal");
        await File.WriteAllTextAsync(journal, $"knocknoc-entra-journal 1\noutcome written\nsettled yes\nsent-at {now}\nbasis-modified none\nwritten-modified none\nwritten 32.0.0.0/9\nend\n");
        File.SetUnixFileMode(journal, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (exitCode, _, errors) = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.202"), tenant.Environment());

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.202/32" }), "a write is built on a read, never on a file");
    }

    [Test]
    public async Task A_damaged_journal_is_set_aside_as_ENTRA065_and_never_blocks_the_location()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_demo", ["192.0.2.0/32"]);
        var journal = Path.Combine(StatePaths.Create(StatePaths.Location(tenant, location.Id)), "journal");
        await File.WriteAllTextAsync(journal, "knocknoc-entra-journal 1\noutcome wri");

        var first = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.203"), tenant.Environment());
        var second = await CliProcess.RunAsync(tenant.Arguments("script", "add", "demo", "203.0.113.204"), tenant.Environment());

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Errors + second.Errors);
        Assert.That(first.Errors, Does.Contain("ENTRA065").And.Contain(journal));
        Assert.That(second.Errors, Does.Not.Contain("ENTRA065"), "the tool's own journal replaced it");
        Assert.That(tenant.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "203.0.113.203/32", "203.0.113.204/32" }));
        Assert.That(Directory.EnumerateFiles(Path.Combine(StatePaths.Location(tenant, location.Id), "quarantine")), Has.Exactly(1).Items);
    }
}
