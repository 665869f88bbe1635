using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>
/// What every editing command does: queue its change, then either drain the queue (when no one else does) or wait
/// for a drain's answer. A command that fails, gives up or is stopped takes its change back before it exits, so a
/// change reported as failed never takes effect later.
/// </summary>
/// <param name="settings">The settings (complete, checked).</param>
/// <param name="time">The clock.</param>
internal sealed class ChangeRunner(CliSettings settings, TimeProvider time)
{
    /// <summary>How long a change waits for a drain before it is withdrawn.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Queues <paramref name="change"/> and sees it answered.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="target">The queue's location.</param>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Stops the wait (the change is withdrawn).</param>
    /// <returns>The outcome and how many PATCHes this process sent.</returns>
    /// <exception cref="ChangeFailedException">The change was not applied (and never will be).</exception>
    public async Task<(ChangeApplied Outcome, int Patches)> RunAsync(ChangeQueue queue, LocationTarget target, QueuedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        using var ticket = queue.Enqueue(change, time.GetUtcNow());
        var deadline = time.GetUtcNow() + Patience;
        var patches = 0;
        IDisposable? waiting = null;
        try
        {
            while (true)
            {
                switch (ticket.Outcome())
                {
                    case ChangeApplied applied:
                        return (applied, patches);
                    case ChangeFailed failed:
                        throw new ChangeFailedException(failed);
                }

                if (!ticket.IsQueued)
                {
                    // Answered between the two looks, or set aside as damaged.
                    if (ticket.Outcome() is not null)
                    {
                        continue;
                    }

                    throw new ChangeFailedException(ticket.Lost());
                }

                using (var drainLock = queue.TryTakeDrainLock())
                {
                    if (drainLock is not null)
                    {
                        waiting?.Dispose();
                        waiting = null;
                        using var drain = new ChangeDrain(settings, queue, target, time, Report, () => ConnectionOptions.CreateClient(settings));
                        await drain.RunAsync(cancellationToken).ConfigureAwait(false);
                        patches += drain.Patches;
                        continue;
                    }
                }

                if (time.GetUtcNow() > deadline)
                {
                    if (ticket.Withdraw() is not null)
                    {
                        continue;
                    }

                    throw new ChangeFailedException(ChangeFailed.From(
                        EntraErrorCode.NamedLocationUpdateFailed,
                        $"the change waited {Patience.TotalMinutes} minutes for the drain of {queue.Directory} and was withdrawn: it will not be applied"));
                }

                // Shown (on a terminal) once another process's drain has had the queue for more than a second.
                waiting ??= WaitingLine.StandardError?.Elapsed(
                    $"waiting for another drain of this location's queue (the change is withdrawn after {Patience.TotalMinutes:0} minutes)");
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            waiting?.Dispose();
        }
    }

    private static void Report(string message) => CliConsole.ForStandardError().Warning(message);
}
