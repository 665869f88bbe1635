using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk;

/// <summary>What a read of the location told the gate.</summary>
/// <param name="StaleSince">Set when the read was older than one already seen, and so ignored: the newest seen.</param>
/// <param name="Drift">Set when the gate's own part differed from what it expected: what was added and removed.</param>
internal readonly record struct ReadOutcome(DateTimeOffset? StaleSince, CidrSetDiff? Drift);

internal sealed partial class GateCore
{
    /// <summary>A caller asked for a read (<c>CheckDriftAsync</c>): it is due now, once reads can be trusted.</summary>
    public void RequestRead() => _reads.Requested = true;

    /// <summary>
    /// A read that began at <paramref name="startedAt"/> returned at <paramref name="now"/>. A trusted, fresh one
    /// gives others' ranges (shared ownership), drift, and what Entra holds; a stale one is ignored.
    /// </summary>
    public ReadOutcome ReadReturned(IpNamedLocation location, DateTimeOffset startedAt, DateTimeOffset now, bool servedRequest)
    {
        DisplayName = location.DisplayName;
        MustRevalidate = false;
        ReadOutcome outcome;

        // Graph's replicas disagree for a while after a write: a read older than one already seen says nothing
        // new, and acting on it could undo a newer state.
        if (Trust.IsStale(location.ModifiedDateTime))
        {
            outcome = new ReadOutcome(Trust.NewestModifiedSeen, null);
        }
        else
        {
            Trust.NewestModifiedSeen = location.ModifiedDateTime ?? Trust.NewestModifiedSeen;
            outcome = new ReadOutcome(null, Observe(location, now));
        }

        _reads.ReadDone(startedAt, servedRequest);
        return outcome;
    }

    /// <summary>A read failed: it is not tried before the next drift check, unless a write questions the location first.</summary>
    public void ReadFailed(EntraException error, DateTimeOffset startedAt, bool servedRequest)
    {
        LastError = error;
        MustRevalidate |= QuestionsLocation(error);
        _reads.ReadDone(startedAt, servedRequest);
    }

    /// <summary>Takes a trusted read in; returns the drift found in the gate's own part, if any.</summary>
    private CidrSetDiff? Observe(IpNamedLocation location, DateTimeOffset now)
    {
        Trust.Forget(now);
        var remote = location.ToSet();
        var before = Kept.Coverage;
        if (_settings.Ownership == LocationOwnership.Shared)
        {
            Kept = Kept.WithForeign(ForeignIn(location, Table.Granted));
        }

        // Only the gate's own part can drift: others' ranges are theirs to change under shared ownership.
        CidrSetDiff? drift = null;
        var expected = (Trust.Known ?? remote).Except(before);
        var found = remote.Except(Kept.Coverage);
        if (Trust.Known is not null && !expected.SetEquals(found))
        {
            drift = CidrSet.Diff(expected, found);
        }

        Trust.Known = remote;

        // Compare again in a cycle: if Entra differs from what the gate wants, it is written back.
        Waiters.Unconfirm();
        return drift;
    }

    /// <summary>
    /// Others' ranges in a location, as written: every entry that is neither the sentinel, nor one the gate sent as
    /// its own recently, nor inside <paramref name="granted"/> (what it grants now; at the start, what its stored
    /// grants cover). A stale read that still shows a revoked address of the gate's therefore never makes it foreign.
    /// </summary>
    private List<Cidr> ForeignIn(IpNamedLocation location, CidrSet granted)
    {
        // An entry inside what is granted is the gate's too, however long ago it was last sent: a grant can outlive
        // the memory of sent entries when nothing was written for a while.
        return [.. location.IpRanges.Where(range => range != _settings.Sentinel && !Trust.WasSent(range) && !granted.Contains(range)).Distinct()];
    }
}
