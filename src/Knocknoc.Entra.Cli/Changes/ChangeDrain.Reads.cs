using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>What a drain does before it plans: finish a write cut short, keep the tenant's pace, read until the read can be trusted.</summary>
internal sealed partial class ChangeDrain
{
    /// <summary>
    /// Finishes a write that its drain left cut short (killed during its PATCH, or while answering): a range it added
    /// stays only if a change that asked for it was told it was applied, or still waits (and is applied again now).
    /// </summary>
    private LocationJournal? Recover(LocationState location, LocationJournal? journal)
    {
        if (journal is null || journal.Settled)
        {
            return journal;
        }

        var takeBack = journal.Withdrawals;
        foreach (var add in journal.Added)
        {
            var kept = add.Owners.Any(owner =>
            {
                var state = ChangeQueue.StateOf(_queue.State.Resolve(owner[..owner.LastIndexOf('/')]), owner[(owner.LastIndexOf('/') + 1)..]);
                return state == ChangeState.Waiting || (state == ChangeState.Applied && journal.Outcome == WriteOutcome.Written);
            });
            if (!kept)
            {
                takeBack = takeBack.Union(CidrSet.Create(add.Network));
            }
        }

        _report($"knocknoc-entra: finished a write to location {Path.GetFileName(location.Directory)} that was cut short; ranges taken back: {(takeBack.IsEmpty ? "none" : string.Join(", ", takeBack.ToCidrs()))}.");
        var recovered = journal with { Settled = true, Withdrawals = takeBack };
        location.WriteJournal(recovered);
        return recovered;
    }

    /// <summary>Keeps Graph's 1 request/s across processes: the previous drain's PATCH may have left just now.</summary>
    private async Task PaceAsync(LocationJournal? journal, CancellationToken cancellationToken)
    {
        if (journal is not null && journal.SentAt + GraphLimits.TenantRequestInterval - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero && wait <= GraphLimits.TenantRequestInterval)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until a read shows this host's last write (or cannot undo it), at most <see cref="MaxReads"/> times,
    /// paced by the client at 1 request/s. A read that stays provably older fails the drain: nothing is written, so
    /// nothing this host removed is put back. One that stays merely unsure (it lacks part of the last write, which a
    /// later edit elsewhere can explain) is built on.
    /// </summary>
    private async Task<(IpNamedLocation Read, LocationJournal? Journal)> ReadTrustedAsync(INamedLocationClient client, string locationId, LocationJournal? journal, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var read = await LocationEditor.ReadAsync(client, locationId, null, _settings.NamePrefix, cancellationToken).ConfigureAwait(false);
            var set = read.ToSet();
            var verdict = ReadTrust.Judge(journal, set, read.ModifiedDateTime, _time.GetUtcNow());
            if (verdict == ReadVerdict.Trusted || (verdict == ReadVerdict.Unsure && attempt >= MaxReads))
            {
                return (read, ReadTrust.Learn(journal, set, read.ModifiedDateTime));
            }

            if (attempt >= MaxReads)
            {
                throw new EntraException(
                    EntraErrorCode.NamedLocationReadFailed,
                    $"after {MaxReads} reads Entra still shows a version of location {locationId} older than this host's last write to it (Graph is eventually consistent); nothing was written, so nothing removed is put back; try again");
            }

            if (attempt == 1)
            {
                _report($"knocknoc-entra: Entra does not show this host's last write to location {locationId} yet (Graph is eventually consistent); reading again.");
            }
        }
    }
}
