using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>How far a read of the location can be built on.</summary>
internal enum ReadVerdict
{
    /// <summary>It shows this host's last write, or something later, or cannot undo any of it: build on it.</summary>
    Trusted,

    /// <summary>It is provably older than this host's last write: building on it would undo that write.</summary>
    Stale,

    /// <summary>It differs from the last write where that write changed the location, and may predate it or not.</summary>
    Unsure,
}

/// <summary>
/// Whether a fresh read can be the basis of a write, given this host's last write (<see cref="LocationJournal"/>).
/// Graph is eventually consistent: for a while after a PATCH a read may show the version before it, and building on
/// that would put back what the write removed, or drop what it added. A stored copy of the last write is no basis
/// either: it cannot show what changed since (a revocation in the portal, on another host, by <c>flush</c>). So a
/// write is built on a read that shows the last write, and a read that does not is read again.
/// </summary>
internal static class ReadTrust
{
    /// <summary>Gets how long after a write reads are taken as consistent: the gate's own <c>ReadAfterWriteDelay</c> default.</summary>
    public static TimeSpan ReadsSettleWithin { get; } = new NamedLocationGateOptions().ReadAfterWriteDelay;

    /// <summary>Judges a read against the last write.</summary>
    /// <param name="last">This host's last write to the location, or null.</param>
    /// <param name="read">The ranges read.</param>
    /// <param name="readModified">The read's <c>modifiedDateTime</c>, if Graph gave one.</param>
    /// <param name="now">The time, by the clock the journal's <see cref="LocationJournal.SentAt"/> was taken with.</param>
    /// <returns>The verdict.</returns>
    public static ReadVerdict Judge(LocationJournal? last, CidrSet read, DateTimeOffset? readModified, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (last is null)
        {
            return ReadVerdict.Trusted;
        }

        // Older than a version already seen: a lagging replica, however long ago the write was.
        if (readModified is { } modified
            && ((last.WrittenModified is { } seen && modified < seen) || (last.BasisModified is { } basis && modified < basis)))
        {
            return ReadVerdict.Stale;
        }

        // A write that may not have landed carried nothing any caller was told was applied; what it added for callers
        // that were not told is taken back by a withdrawal, whichever read the next write is built on.
        if (last.Outcome == WriteOutcome.Unknown || read.SetEquals(last.Written) || now - last.SentAt >= ReadsSettleWithin)
        {
            return ReadVerdict.Trusted;
        }

        if (readModified is { } stamp)
        {
            if (last.WrittenModified is { } written && stamp >= written)
            {
                return ReadVerdict.Trusted;
            }

            if (stamp == last.BasisModified)
            {
                // The very version the write replaced.
                return ReadVerdict.Stale;
            }
        }

        // Newer than the write's basis and holding what the write changed: building on it undoes nothing of it.
        return last.AddedRanges.IsSubsetOf(read) && read.Intersect(last.Removed).IsEmpty ? ReadVerdict.Trusted : ReadVerdict.Unsure;
    }

    /// <summary>The journal with the write's own <c>modifiedDateTime</c> learnt from a read that shows it.</summary>
    /// <param name="last">The journal.</param>
    /// <param name="read">The ranges read.</param>
    /// <param name="readModified">The read's <c>modifiedDateTime</c>.</param>
    /// <returns>The journal, updated when the read shows the write and is newer than its basis; else <paramref name="last"/>.</returns>
    public static LocationJournal? Learn(LocationJournal? last, CidrSet read, DateTimeOffset? readModified) =>
        last is { Outcome: WriteOutcome.Written, WrittenModified: null } && readModified is { } modified
            && read.SetEquals(last.Written) && (last.BasisModified is not { } basis || modified > basis)
            ? last with { WrittenModified = modified }
            : last;
}
