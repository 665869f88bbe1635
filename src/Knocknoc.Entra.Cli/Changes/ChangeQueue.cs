using System.Text;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>Where a queued change stands, as a drain that finds it in a location's journal needs to know.</summary>
internal enum ChangeState
{
    /// <summary>Queued, and the process that queued it is alive and waiting.</summary>
    Waiting,

    /// <summary>Queued, but the process that queued it has ended: it will never be told, so it is never applied.</summary>
    Abandoned,

    /// <summary>Its process was told it was applied.</summary>
    Applied,

    /// <summary>Its process was told it failed.</summary>
    Failed,

    /// <summary>Its process took it back (it gave up, was stopped or failed itself).</summary>
    Withdrawn,

    /// <summary>No trace of it.</summary>
    Missing,
}

/// <summary>
/// A queue of changes to one location: <c>spool/</c> holds one file per change, named so that names sort in queue
/// order (<c>TICKS-PID-GUID.change</c>). The process that queues a change holds a shared <c>flock</c> on its file
/// for its whole life, so whoever can take the file's exclusive lock knows that process is gone. A drain answers
/// by appending the outcome to the file and renaming it <c>.applied</c> or <c>.failed</c>; a writer that gives up
/// renames it <c>.withdrawn</c>. Both are renames of the same name, so exactly one of them wins: a change is either
/// answered or taken back, never both.
/// </summary>
internal sealed class ChangeQueue
{
    private const string QueuedExtension = ".change";
    private const string AppliedExtension = ".applied";
    private const string FailedExtension = ".failed";
    private const string WithdrawnExtension = ".withdrawn";
    private const string TemporaryExtension = ".tmp";

    private ChangeQueue(StateDirectory state, string[] parts)
    {
        State = state;
        Directory = state.Directory(parts);
        Spool = state.Directory([.. parts, "spool"]);
        QuarantineDirectory = state.Directory([.. parts, Quarantine.DirectoryName]);
        DrainLockPath = Path.Combine(Directory, "drain.lock");
    }

    /// <summary>Gets the state directory the queue lives in.</summary>
    public StateDirectory State { get; }

    /// <summary>Gets the queue's directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the folder of change files.</summary>
    public string Spool { get; }

    /// <summary>Gets the folder of files set aside.</summary>
    public string QuarantineDirectory { get; }

    /// <summary>Gets the lock of whoever drains the queue.</summary>
    public string DrainLockPath { get; }

    /// <summary>Opens the script backend's queue of ACL <paramref name="acl"/> (<c>acl/ACL/</c>).</summary>
    /// <param name="state">The state directory.</param>
    /// <param name="acl">The ACL (a safe name).</param>
    /// <returns>The queue.</returns>
    public static ChangeQueue ForAcl(StateDirectory state, string acl) => new(state, ["acl", acl]);

    /// <summary>Opens the operator commands' queue of location <paramref name="locationId"/> (<c>location/ID/</c>).</summary>
    /// <param name="state">The state directory.</param>
    /// <param name="locationId">The location's id (a safe name).</param>
    /// <returns>The queue.</returns>
    public static ChangeQueue ForLocation(StateDirectory state, string locationId) => new(state, ["location", locationId]);

    /// <summary>Takes the drain lock if it is free.</summary>
    /// <returns>The lock, or null while another process drains.</returns>
    public StateLock? TryTakeDrainLock() => StateLock.TryTake(DrainLockPath, State.Safety);

    /// <summary>Queues a change durably and holds its file's shared lock until the ticket is disposed.</summary>
    /// <param name="change">The change.</param>
    /// <param name="now">The time, for the queue's order.</param>
    /// <returns>The ticket: its outcome, or its withdrawal.</returns>
    public ChangeTicket Enqueue(QueuedChange change, DateTimeOffset now)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stem = ChangeStem.New(now);
            var temporary = Path.Combine(Spool, $".{stem}{TemporaryExtension}");

            // Any share but None holds flock(LOCK_SH) on Unix: the lock stays with the file through the renames below
            // and the drain's. .NET takes it just after creating the file, and a drain that looks in between takes the
            // file for one its writer left and deletes it: then either the rename fails, or (when the drain's exclusive
            // lock came first) the shared lock is refused as a sharing violation; either way the change is queued anew
            // under another name, and the file the drain took is gone or going.
            FileStream hold;
            try
            {
                hold = DurableFile.CreateNew(temporary, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException error) when (attempt < 3 && error.GetType() == typeof(IOException))
            {
                // Not deleted here: a file without a live writer's lock is the drain's to tidy, and it is.
                continue;
            }

            try
            {
                hold.Write(Encoding.UTF8.GetBytes(ChangeText.Format(change)));
                hold.Flush(flushToDisk: true);
                File.Move(temporary, PathOf(stem, QueuedExtension));
                DurableFile.SyncDirectory(Spool);
                return new ChangeTicket(this, stem, hold);
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
                hold.Dispose();
            }
            catch
            {
                hold.Dispose();
                File.Delete(temporary);
                throw;
            }
        }
    }

    /// <summary>Whether any change file is queued (a cheap look, without reading them).</summary>
    /// <returns>True when one is.</returns>
    public bool HasQueued() => System.IO.Directory.EnumerateFiles(Spool, "*" + QueuedExtension).Any();

    /// <summary>
    /// Reads the queue for a drain (its caller holds the drain lock and the location's lock): the changes of live
    /// processes, in queue order. On the way it deletes what ended processes left (their changes are never applied:
    /// they reported failure), finishes answers a drain that died half-way had decided, and sets aside anything
    /// damaged, foreign or refused by the address policy.
    /// </summary>
    /// <param name="policy">The grant address policy.</param>
    /// <param name="report">Where notes and ENTRA065 messages go.</param>
    /// <returns>The changes to apply.</returns>
    public IReadOnlyList<QueuedItem> Scan(GrantAddressPolicy policy, Action<string> report)
    {
        var items = new List<QueuedItem>();
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(Spool).Order(StringComparer.Ordinal))
        {
            if (ScanOne(path, policy, report) is { } item)
            {
                items.Add(item);
            }
        }

        DurableFile.SyncDirectory(Spool);
        return items;
    }

    /// <summary>The changes of live processes, without reading or tidying anything (for a drain that failed before it could).</summary>
    /// <returns>Their names.</returns>
    public IReadOnlyList<string> WaitingStems() =>
        [.. System.IO.Directory.EnumerateFiles(Spool, "*" + QueuedExtension)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(stem => ChangeStem.Is(stem) && StateOf(Spool, stem) == ChangeState.Waiting)
            .Order(StringComparer.Ordinal)];

    /// <summary>Tells a change's process its outcome.</summary>
    /// <param name="stem">The change.</param>
    /// <param name="outcome">Its outcome.</param>
    /// <returns>False when the process is gone (it withdrew, or it ended): nobody was told, so the change must be taken back.</returns>
    public bool Post(string stem, ChangeOutcome outcome)
    {
        var path = PathOf(stem, QueuedExtension);
        switch (Probe(path, out var exclusive))
        {
            case Presence.Missing:
                return false;
            case Presence.Abandoned:
                using (exclusive)
                {
                    File.Delete(path);
                }

                return false;
        }

        try
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(Encoding.UTF8.GetBytes(ChangeText.Format(outcome)));
                stream.Flush(flushToDisk: true);
            }

            // The rename is the answer; the writer's withdrawal is the same rename, so one of the two fails.
            File.Move(path, PathOf(stem, outcome is ChangeApplied ? AppliedExtension : FailedExtension), overwrite: true);
            return true;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Flushes the answers posted to disk.</summary>
    public void SyncSpool() => DurableFile.SyncDirectory(Spool);

    /// <summary>Where a change recorded by its path stands (for a drain that finds a write cut short).</summary>
    /// <param name="spool">The change's spool folder.</param>
    /// <param name="stem">The change.</param>
    /// <returns>Its state.</returns>
    public static ChangeState StateOf(string spool, string stem)
    {
        if (File.Exists(Path.Combine(spool, stem + AppliedExtension)))
        {
            return ChangeState.Applied;
        }

        if (File.Exists(Path.Combine(spool, stem + FailedExtension)))
        {
            return ChangeState.Failed;
        }

        if (File.Exists(Path.Combine(spool, stem + WithdrawnExtension)))
        {
            return ChangeState.Withdrawn;
        }

        var queued = Path.Combine(spool, stem + QueuedExtension);
        switch (Probe(queued, out var exclusive))
        {
            case Presence.Missing:
                return ChangeState.Missing;
            case Presence.Abandoned:
                exclusive!.Dispose();
                return ChangeState.Abandoned;
        }

        // An answer appended but not yet renamed is already the answer.
        return ChangeText.OutcomeOf(StateFileText.Read(queued)) switch
        {
            ChangeApplied => ChangeState.Applied,
            ChangeFailed => ChangeState.Failed,
            _ => ChangeState.Waiting,
        };
    }

    /// <summary>The path of a change's file with an extension.</summary>
    /// <param name="stem">The change.</param>
    /// <param name="extension">The extension.</param>
    /// <returns>The path.</returns>
    internal string PathOf(string stem, string extension) => Path.Combine(Spool, stem + extension);

    /// <summary>The file a change is queued as.</summary>
    /// <param name="stem">The change.</param>
    /// <returns>The path.</returns>
    internal string QueuedPath(string stem) => PathOf(stem, QueuedExtension);

    /// <summary>The answer files of a change, applied first.</summary>
    /// <param name="stem">The change.</param>
    /// <returns>The paths.</returns>
    internal (string Applied, string Failed, string Withdrawn) AnswerPaths(string stem) =>
        (PathOf(stem, AppliedExtension), PathOf(stem, FailedExtension), PathOf(stem, WithdrawnExtension));

    private QueuedItem? ScanOne(string path, GrantAddressPolicy policy, Action<string> report)
    {
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(name);
        var temporary = name.StartsWith('.') && extension == TemporaryExtension;
        var stem = temporary ? name[1..^extension.Length] : name[..^extension.Length];
        if (!ChangeStem.Is(stem) || extension is not (QueuedExtension or AppliedExtension or FailedExtension or WithdrawnExtension or TemporaryExtension)
            || (extension == TemporaryExtension && !temporary))
        {
            Quarantine.SetAside(path, QuarantineDirectory, "is not a file the tool writes in a queue", report);
            return null;
        }

        var facts = State.Safety.Ownership.Inspect(path);
        if (facts.Kind == FileKind.Missing)
        {
            // Gone since the directory was listed: its writer renamed it (a temporary file becoming a change, a change
            // becoming its answer) or another drain tidied it. Nothing to set aside: moving it would fail.
            return null;
        }

        var problem = State.Safety.Problem(facts, FileKind.File);
        if (problem is not null)
        {
            Quarantine.SetAside(path, QuarantineDirectory, problem, report);
            return null;
        }

        if (extension != QueuedExtension)
        {
            // A temporary file or an answer: left while its process lives, deleted once it has ended.
            DeleteIfAbandoned(path);
            return null;
        }

        // Read before anything else: a damaged or foreign file is set aside whoever wrote it, live or not.
        var text = StateFileText.Read(path);
        if (text is null && State.Safety.Ownership.Inspect(path).Kind == FileKind.Missing)
        {
            // Withdrawn by its process (or answered by a drain that died) since it was looked at: nothing to read.
            return null;
        }

        var content = text is null ? null : ChangeText.Parse(text, policy, out problem);
        if (content is null)
        {
            Quarantine.SetAside(path, QuarantineDirectory, problem ?? "is too long or not UTF-8 text", report);
            return null;
        }

        if (DeleteIfAbandoned(path))
        {
            // Its process ended before it was answered: it reported failure by dying, so it is never applied.
            report($"knocknoc-entra: dropped the change queued as {path}: its process ended before it was applied.");
            return null;
        }

        if (content.Outcome is { } decided)
        {
            // A drain decided it and died before answering: answer as it decided.
            File.Move(path, PathOf(stem, decided is ChangeApplied ? AppliedExtension : FailedExtension), overwrite: true);
            return null;
        }

        if (content.HasDamagedOutcome)
        {
            // A drain died appending the answer; the change itself is whole and still waits.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, content.ChangeLength)));
            stream.Flush(flushToDisk: true);
        }

        return new QueuedItem(stem, content.Change, content.Network);
    }

    /// <summary>Deletes a file whose process has ended (its exclusive lock is free).</summary>
    private static bool DeleteIfAbandoned(string path)
    {
        if (Probe(path, out var exclusive) != Presence.Abandoned)
        {
            return false;
        }

        using (exclusive)
        {
            File.Delete(path);
        }

        return true;
    }

    private enum Presence
    {
        Missing,
        Alive,
        Abandoned,
    }

    /// <summary>Whether a file's writer still holds it: taking its exclusive lock succeeds only once the writer is gone.</summary>
    private static Presence Probe(string path, out FileStream? exclusive)
    {
        exclusive = null;
        try
        {
            exclusive = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return Presence.Abandoned;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return Presence.Missing;
        }
        catch (IOException)
        {
            return Presence.Alive;
        }
    }
}
