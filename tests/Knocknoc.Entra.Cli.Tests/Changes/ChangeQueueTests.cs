using Knocknoc.Entra.Cli.Configuration;
using System.Runtime.Versioning;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Changes;

/// <summary>
/// The queue in process: a change is answered or withdrawn, never both; a change whose process is gone is never
/// applied; damaged or foreign files are set aside and their writer told.
/// </summary>
[UnsupportedOSPlatform("windows")]
public class ChangeQueueTests
{
    private static readonly QueuedChange AddSeven = new(ChangeVerb.Add, "203.0.113.7");
    private readonly List<string> _reports = [];
    private DirectoryInfo _scratch = null!;
    private FakeOwnership _ownership = null!;
    private ChangeQueue _queue = null!;

    [SetUp]
    public void CreateQueue()
    {
        _reports.Clear();
        _scratch = Directory.CreateTempSubdirectory("knocknoc-queue-tests-");
        _ownership = new FakeOwnership(StateSafety.ForThisSystem.Ownership);
        _queue = ChangeQueue.ForAcl(StateDirectory.Open(_scratch.FullName, new StateSafety(_ownership)), "demo");
    }

    [TearDown]
    public void DeleteScratch() => _scratch.Delete(recursive: true);

    [Test]
    public void A_queued_change_is_the_running_users_alone_and_read_back_while_its_process_waits()
    {
        using var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);

        var items = Scan();

        Assert.That(items.Select(item => (item.Stem, item.Network)), Is.EqualTo(new[] { (ticket.Stem, (Cidr?)Cidr.Parse("203.0.113.7/32")) }));
        Assert.That(File.GetUnixFileMode(_queue.QueuedPath(ticket.Stem)), Is.EqualTo(StateSafety.FileMode));
        Assert.That(File.GetUnixFileMode(_queue.Spool), Is.EqualTo(StateSafety.DirectoryMode));
    }

    [Test]
    public void A_change_whose_process_is_gone_is_dropped_never_applied()
    {
        var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        var path = _queue.QueuedPath(ticket.Stem);

        // What kill -9 leaves: the file, and no process holding its lock (here the lock is let go without a withdrawal).
        File.Copy(path, path + ".kept");
        ticket.Dispose();
        File.Move(path + ".kept", path, overwrite: true);
        File.Delete(_queue.AnswerPaths(ticket.Stem).Withdrawn);

        Assert.That(Scan(), Is.Empty);
        Assert.That(File.Exists(path), Is.False);
        Assert.That(_reports, Has.One.Contains("its process ended before it was applied"));
    }

    [Test]
    public void A_withdrawn_change_is_never_answered_and_an_answered_one_cannot_be_withdrawn()
    {
        using var withdrawn = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        using var answered = _queue.Enqueue(new QueuedChange(ChangeVerb.Del, "203.0.113.8"), DateTimeOffset.UnixEpoch.AddTicks(1));
        var applied = new ChangeApplied("loc", "knocknoc_demo", true, 1, CidrSet.Empty, CidrSet.Empty, CidrSet.Empty);

        Assert.That(withdrawn.Withdraw(), Is.Null);
        Assert.That(_queue.Post(withdrawn.Stem, applied), Is.False, "the drain learns nobody was told, so it takes the change back");
        Assert.That(_queue.Post(answered.Stem, applied), Is.True);
        Assert.That(answered.Withdraw(), Is.EqualTo(applied), "too late: the answer stands");
        Assert.That(Scan(), Is.Empty);
    }

    [Test]
    public void Disposing_a_ticket_without_an_answer_withdraws_its_change()
    {
        var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);

        ticket.Dispose();

        Assert.That(ChangeQueue.StateOf(_queue.Spool, ticket.Stem), Is.EqualTo(ChangeState.Withdrawn));
        Assert.That(Scan(), Is.Empty);
    }

    [Test]
    public void A_damaged_change_is_set_aside_and_its_waiting_process_told_ENTRA065()
    {
        using var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        File.WriteAllText(_queue.QueuedPath(ticket.Stem), string.Empty);

        Assert.That(Scan(), Is.Empty);
        Assert.That(ticket.IsQueued, Is.False);
        Assert.That(ticket.Outcome(), Is.Null);
        var lost = ticket.Lost();
        Assert.That(lost.Code, Is.EqualTo(EntraErrorCode.StateFileQuarantined));
        Assert.That(lost.Message, Does.Contain("ENTRA065").And.Contain(_queue.QuarantineDirectory));
        Assert.That(_reports, Has.One.Contains("ENTRA065").And.Contain("is empty"));
    }

    [Test]
    public void A_change_file_owned_by_another_user_is_set_aside_whatever_it_holds()
    {
        using var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        _ownership.OwnedByAnotherUser(_queue.QueuedPath(ticket.Stem));

        Assert.That(Scan(), Is.Empty);
        Assert.That(_reports, Has.One.Contains("ENTRA065").And.Contain("owned by uid 4242"));
    }

    [TestCase("notes.txt")]
    [TestCase("00000000000000000001-0000000001-0123456789ABCDEF0123456789ABCDEF.change")]
    [TestCase("00000000000000000001-0000000001-0123456789abcdef0123456789abcdef.tmp")]
    public void A_foreign_file_is_set_aside(string name)
    {
        File.WriteAllText(Path.Combine(_queue.Spool, name), "knocknoc-entra-change 1\nadd 203.0.113.7\n");

        Assert.That(Scan(), Is.Empty);
        Assert.That(File.Exists(Path.Combine(_queue.QuarantineDirectory, name)), Is.True);
        Assert.That(_reports, Has.One.Contains("is not a file the tool writes"));
    }

    [Test]
    public void An_answer_a_drain_appended_before_it_died_is_finished_and_not_applied_again()
    {
        using var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        var applied = new ChangeApplied("loc", "knocknoc_demo", true, 1, CidrSet.Empty, CidrSet.Empty, CidrSet.Empty);
        File.AppendAllText(_queue.QueuedPath(ticket.Stem), ChangeText.Format(applied));

        Assert.That(ChangeQueue.StateOf(_queue.Spool, ticket.Stem), Is.EqualTo(ChangeState.Applied));
        Assert.That(Scan(), Is.Empty);
        Assert.That(ticket.Outcome(), Is.EqualTo(applied));
    }

    [Test]
    public void A_file_renamed_by_its_writer_while_the_drain_looks_at_it_is_passed_over_not_set_aside()
    {
        // A writer's temporary file becomes its change between the drain listing the spool and looking at the file.
        var stem = ChangeStem.New(DateTimeOffset.UnixEpoch);
        var temporary = Path.Combine(_queue.Spool, $".{stem}.tmp");
        File.WriteAllText(temporary, "");
        _ownership.BeforeInspect = path =>
        {
            if (path == temporary)
            {
                File.Move(temporary, Path.Combine(_queue.Spool, $"{stem}.renamed-away"));
            }
        };

        Assert.That(Scan(), Is.Empty);
        Assert.That(Directory.Exists(_queue.QuarantineDirectory) ? Directory.GetFileSystemEntries(_queue.QuarantineDirectory) : [], Is.Empty);
        Assert.That(_reports, Is.Empty);
    }

    [Test]
    public void A_change_withdrawn_while_the_drain_reads_it_is_passed_over_not_set_aside()
    {
        using var ticket = _queue.Enqueue(AddSeven, DateTimeOffset.UnixEpoch);
        var queued = _queue.QueuedPath(ticket.Stem);
        _ownership.AfterInspect = path =>
        {
            if (path == queued && File.Exists(queued))
            {
                File.Move(queued, _queue.AnswerPaths(ticket.Stem).Withdrawn);
            }
        };

        Assert.That(Scan(), Is.Empty);
        Assert.That(Directory.Exists(_queue.QuarantineDirectory) ? Directory.GetFileSystemEntries(_queue.QuarantineDirectory) : [], Is.Empty);
        Assert.That(_reports, Is.Empty);
    }

    private IReadOnlyList<QueuedItem> Scan() => _queue.Scan(CliAddressPolicy.Value, _reports.Add);
}
