using System.Runtime.Versioning;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.State;

/// <summary>The state directory's checks: the real ones (owner from the kernel, modes), and a fake owner for another user.</summary>
[UnsupportedOSPlatform("windows")]
public class StateSafetyTests
{
    private DirectoryInfo _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("knocknoc-state-tests-");

    [TearDown]
    public void DeleteScratch() => _scratch.Delete(recursive: true);

    [Test]
    public void The_real_check_reads_the_owner_from_the_kernel_and_it_is_the_running_user()
    {
        var safety = StateSafety.ForThisSystem;
        var facts = safety.Ownership.Inspect(_scratch.FullName);

        Assert.That(facts.Kind, Is.EqualTo(FileKind.Directory));
        Assert.That(facts.Owner, Is.EqualTo(safety.Ownership.CurrentUser), "a directory this test created is its user's");
        Assert.That(safety.Ownership.Inspect(Path.Combine(_scratch.FullName, "none")), Is.EqualTo(FileFacts.Missing));
        Assert.That(safety.Problem(_scratch.FullName, FileKind.Directory), Is.Null);
    }

    [TestCase(0b111_111_111, "can be written by its group and others (mode 0777)")]
    [TestCase(0b111_101_111, "can be written by others (mode 0757)")]
    [TestCase(0b111_111_000, "can be written by its group (mode 0770)")]
    public void The_real_check_refuses_a_directory_others_can_write(int mode, string problem)
    {
        var directory = _scratch.CreateSubdirectory("state").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)mode);

        var error = Assert.Throws<EntraException>(() => StateDirectory.Open(directory, StateSafety.ForThisSystem))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.StateDirectoryUnsafe));
        Assert.That(error.Message, Does.Contain("ENTRA066").And.Contain(directory).And.Contain(problem));
    }

    [Test]
    public void A_state_directory_owned_by_another_user_is_refused_naming_both_users()
    {
        var directory = _scratch.CreateSubdirectory("state").FullName;
        var ownership = new FakeOwnership(StateSafety.ForThisSystem.Ownership);
        ownership.OwnedByAnotherUser(directory);

        var error = Assert.Throws<EntraException>(() => StateDirectory.Open(directory, new StateSafety(ownership)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.StateDirectoryUnsafe));
        Assert.That(error.Message, Does.Contain(directory).And.Contain($"owned by uid {FakeOwnership.AnotherUser}, not by the user running the tool (uid {ownership.CurrentUser})"));
    }

    [Test]
    public void A_directory_inside_owned_by_another_user_is_refused_too()
    {
        var ownership = new FakeOwnership(StateSafety.ForThisSystem.Ownership);
        var state = StateDirectory.Open(_scratch.FullName, new StateSafety(ownership));
        var acl = Path.Combine(_scratch.FullName, "acl", "demo");
        Directory.CreateDirectory(acl, StateSafety.DirectoryMode);
        ownership.OwnedByAnotherUser(acl);

        Assert.That(() => state.Directory("acl", "demo"), Throws.TypeOf<EntraException>().With.Message.Contains(acl).And.Message.Contains("owned by uid 4242"));
    }

    [Test]
    public void A_symbolic_link_inside_the_state_is_never_followed()
    {
        var state = StateDirectory.Open(_scratch.FullName, StateSafety.ForThisSystem);
        var elsewhere = Directory.CreateTempSubdirectory("knocknoc-elsewhere-");
        try
        {
            Directory.CreateDirectory(Path.Combine(_scratch.FullName, "acl"), StateSafety.DirectoryMode);
            File.CreateSymbolicLink(Path.Combine(_scratch.FullName, "acl", "demo"), elsewhere.FullName);

            Assert.That(() => state.Directory("acl", "demo"), Throws.TypeOf<EntraException>().With.Message.Contains("is a symbolic link"));
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Test]
    public void Directories_the_tool_creates_are_the_running_users_alone()
    {
        var root = Path.Combine(_scratch.FullName, "new", "state");

        var state = StateDirectory.Open(root, StateSafety.ForThisSystem);
        var acl = state.Directory("acl", "demo");

        Assert.That(File.GetUnixFileMode(root) & ~StateSafety.DirectoryMode, Is.EqualTo(UnixFileMode.None));
        Assert.That(File.GetUnixFileMode(acl) & ~StateSafety.DirectoryMode, Is.EqualTo(UnixFileMode.None));
    }
}
