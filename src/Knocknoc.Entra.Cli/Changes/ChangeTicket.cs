using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>
/// The queuing process's hold on its change: the file's shared lock (which tells drains it is alive), its outcome
/// once a drain answers, and its withdrawal. Disposing a ticket without an outcome withdraws the change, so a
/// process that fails, gives up or is stopped never leaves behind a change that someone applies later.
/// </summary>
internal sealed class ChangeTicket : IDisposable
{
    private readonly ChangeQueue _queue;
    private readonly FileStream _hold;
    private bool _settled;

    /// <summary>Initializes a new instance of the <see cref="ChangeTicket"/> class.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="stem">The change's name.</param>
    /// <param name="hold">The open file that holds the shared lock.</param>
    public ChangeTicket(ChangeQueue queue, string stem, FileStream hold)
    {
        _queue = queue;
        _hold = hold;
        Stem = stem;
    }

    /// <summary>Gets the change's name.</summary>
    public string Stem { get; }

    /// <summary>Gets a value indicating whether the change still waits in the queue.</summary>
    public bool IsQueued => File.Exists(_queue.QueuedPath(Stem));

    /// <summary>The outcome, once a drain has answered.</summary>
    /// <returns>The outcome, or null while none has.</returns>
    public ChangeOutcome? Outcome()
    {
        var (applied, failed, _) = _queue.AnswerPaths(Stem);
        if (File.Exists(applied))
        {
            _settled = true;
            return ChangeText.OutcomeOf(StateFileText.Read(applied)) as ChangeApplied ?? new ChangeApplied(string.Empty, string.Empty, false, 1, CidrSet.Empty, CidrSet.Empty, CidrSet.Empty);
        }

        if (File.Exists(failed))
        {
            _settled = true;
            return ChangeText.OutcomeOf(StateFileText.Read(failed)) as ChangeFailed
                ?? ChangeFailed.From(EntraErrorCode.NamedLocationUpdateFailed, "the change was not applied (the drain's answer could not be read)");
        }

        return null;
    }

    /// <summary>Why the change is neither queued nor answered: set aside as damaged (ENTRA065), or gone.</summary>
    /// <returns>The outcome to report.</returns>
    public ChangeFailed Lost()
    {
        _settled = true;
        var quarantined = Path.Combine(_queue.QuarantineDirectory, Path.GetFileName(_queue.QueuedPath(Stem)));
        return File.Exists(quarantined)
            ? new ChangeFailed(EntraErrorCode.StateFileQuarantined, Quarantine.Message(_queue.QueuedPath(Stem), "could not be read back as the change queued", quarantined))
            : ChangeFailed.From(EntraErrorCode.NamedLocationUpdateFailed, $"the change queued as {_queue.QueuedPath(Stem)} disappeared before it was applied; it was not applied");
    }

    /// <summary>Takes the change back, unless a drain answered first.</summary>
    /// <returns>The drain's outcome when it answered first; null when the change was withdrawn (and will never be applied).</returns>
    public ChangeOutcome? Withdraw()
    {
        var (_, _, withdrawn) = _queue.AnswerPaths(Stem);
        try
        {
            File.Move(_queue.QueuedPath(Stem), withdrawn, overwrite: true);
            DurableFile.SyncDirectory(_queue.Spool);
            _settled = true;
            return null;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return Outcome();
        }
    }

    /// <summary>Withdraws the change if it has no outcome, then releases the file's lock.</summary>
    public void Dispose()
    {
        try
        {
            if (!_settled)
            {
                _ = Withdraw();
            }
        }
        catch (IOException)
        {
            // The lock goes with the process anyway: a change whose process is gone is never applied.
        }
        finally
        {
            _hold.Dispose();
        }
    }
}
