using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate.CoreModel;

/// <summary>
/// What must hold after every step of the core model, checked against a model of the grants kept apart from the
/// core's own table: writes justified by live grants or kept ranges only, calls settled only by a write of their
/// version that the store made durable, an acknowledged revocation never coming back, undo restoring the store's state.
/// </summary>
internal sealed class CoreInvariants(CoreWorld world)
{
    private readonly Dictionary<string, (Cidr Network, long ExpiresAtMs)> _granted = new(StringComparer.Ordinal);
    private readonly Dictionary<WaitingCall, (bool IsRevoke, string? Id, Cidr Network, int Grants)> _waiting = [];

    // How many grants of each id were accepted: a revocation says nothing of a grant of its id that came after it.
    private readonly Dictionary<string, int> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Cidr> _revokedAcked = new(StringComparer.Ordinal);

    // Since the store's last successful save: ids granted or moved (an undo may touch only these), and ids that ended
    // (an undo must never bring them back, whatever the store still holds).
    private readonly HashSet<string> _grantedSinceSave = new(StringComparer.Ordinal);
    private readonly HashSet<string> _endedSinceSave = new(StringComparer.Ordinal);

    public long Acknowledged { get; private set; }

    public long Failures { get; private set; }

    public long Writes { get; private set; }

    private GateCore Core => world.Core;

    public void Granted(string id, Cidr network, DateTimeOffset expiresAt)
    {
        _granted[id] = (network, expiresAt.ToUnixTimeMilliseconds());
        _revokedAcked.Remove(id);
        _grantedSinceSave.Add(id);
        _grants[id] = _grants.GetValueOrDefault(id) + 1;
    }

    public void Revoked(string id) => Ended(id);

    public void Flushed()
    {
        foreach (var id in _granted.Keys.ToList())
        {
            Ended(id);
        }
    }

    /// <summary>The store saved the whole state: nothing since is unsaved.</summary>
    public void SavedAll()
    {
        _grantedSinceSave.Clear();
        _endedSinceSave.Clear();
    }

    /// <summary>After a reconcile: exactly the ids without a refused request, each with its last request's network.</summary>
    public void Reconciled(IReadOnlyList<(string Id, Cidr? Network, DateTimeOffset ExpiresAt)> requests, ReconcileResult result)
    {
        var refused = result.Refused.Select(r => r.Request.GrantId).ToHashSet(StringComparer.Ordinal);
        var wanted = new Dictionary<string, (Cidr Network, DateTimeOffset ExpiresAt)>(StringComparer.Ordinal);
        foreach (var (id, network, expiresAt) in requests)
        {
            if (!refused.Contains(id) && network is { } valid)
            {
                wanted[id] = (valid, expiresAt);
            }
        }

        foreach (var id in _granted.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
        {
            Ended(id);
        }

        foreach (var (id, (network, expiresAt)) in wanted)
        {
            Granted(id, network, expiresAt);
        }
    }

    public void Waits(WaitingCall call, bool isRevoke, string? id, Cidr network) =>
        _waiting[call] = (isRevoke, id, network, id is null ? 0 : _grants.GetValueOrDefault(id));

    public void Cancelled(WaitingCall call) => _waiting.Remove(call);

    public WaitingCall? AnyWaiting(Random random) => _waiting.Count == 0 ? null : _waiting.Keys.ElementAt(random.Next(_waiting.Count));

    public void Audit(int expired, List<AuditNote> notes)
    {
        That(notes.Count(n => n.Kind == AuditKind.Expired), expired, "every expiry is audited");
        foreach (var note in notes.Where(n => n.Kind == AuditKind.Expired))
        {
            True(_granted.TryGetValue(note.GrantId, out var held) && held.ExpiresAtMs <= world.Now.ToUnixTimeMilliseconds(), $"{note.GrantId} expired when due");
            Ended(note.GrantId);
        }

        foreach (var (id, entry) in Core.Table)
        {
            True(entry.ExpiresAtMs > world.Now.ToUnixTimeMilliseconds(), $"{id} is not kept past its expiry");
        }
    }

    /// <summary>After a start: the stored grants, less those the start ended (expired, removed in Entra) or dropped for capacity.</summary>
    public void Started(List<AuditNote> notes, bool damaged)
    {
        _waiting.Clear();
        _granted.Clear();
        _grantedSinceSave.Clear();
        _endedSinceSave.Clear();
        foreach (var (id, entry) in Core.Table)
        {
            var stored = world.Stored.Grants.Single(g => g.GrantId == id);
            True(stored.Network == entry.Network && stored.ExpiresAt.ToUnixTimeMilliseconds() == entry.ExpiresAtMs, $"{id} is restored as stored");
            _granted[id] = (entry.Network, entry.ExpiresAtMs);
        }

        foreach (var (id, network) in _revokedAcked)
        {
            True(!Core.Table.TryGet(id, out var entry) || entry.Network != network, $"the acknowledged revocation of {id} survives a restart{(damaged ? " on a damaged store" : "")}");
        }

        if (damaged)
        {
            // A damaged store may have lost grants, so the gate keeps whatever the location shows until the host
            // reconciles, even an address revoked before (documented; with an untrusted read, one Entra no longer
            // holds). Revocations from now on must still take their address out of what is preserved.
            var preserved = CidrSet.Create(Core.Kept.Preserved.AsSpan());
            foreach (var id in _revokedAcked.Where(r => preserved.Overlaps(r.Value)).Select(r => r.Key).ToList())
            {
                _revokedAcked.Remove(id);
            }
        }

        True(notes.All(n => n.Kind is AuditKind.Expired or AuditKind.RemovedInEntra), "a start only ends grants");

        // What the start ended (or dropped) ended since the store's save: an undo must not bring it back either.
        foreach (var stored in world.Stored.Grants.Where(g => !Core.Table.TryGet(g.GrantId, out _)))
        {
            _endedSinceSave.Add(stored.GrantId);
        }
    }

    /// <summary>A start whose read could not be trusted decided nothing: no grant restored, nothing kept or ended.</summary>
    public void StartDeferred(List<AuditNote> notes, DateTimeOffset readAgainAt)
    {
        That(notes.Count, 0, "a deferred start ends no grant");
        That(Core.Table.Count, 0, "a deferred start restores no grant");
        True(Core.Kept.List.IsEmpty, "a deferred start keeps nothing");
        True(Core.Trust.Known is null, "a deferred start knows nothing of Entra");
        True(readAgainAt > world.Now, "a deferred start reads again later");
    }

    /// <summary>
    /// Every decision of a start that can put an address back or drop a grant was taken on a trusted read: after the
    /// read-after-write delay from the stored last write, or from the start's first read when a damaged store lost it.
    /// </summary>
    public void StartedOnTrustedRead(StartOutcome outcome, DateTimeOffset firstReadAt, bool lostWriteTime)
    {
        True(outcome.IsStarted, "a start on a trusted read is done");
        True(world.Now >= Core.Trust.TrustFrom, "a start decides on a trusted read only");
        if (lostWriteTime)
        {
            True(Core.Trust.TrustFrom >= firstReadAt.Add(TimeSpan.FromSeconds(60)), "a lost write time counts as an instant before the start");
        }
    }

    /// <summary>After a failed save undid the unsaved grants: each id holds again what the store holds, or nothing.</summary>
    public void Undone(List<AuditNote> notes, GrantStoreSnapshot stored)
    {
        foreach (var note in notes)
        {
            That(note.Kind, AuditKind.Undone, "an undo only undoes");
            True(_grantedSinceSave.Contains(note.GrantId), $"{note.GrantId} is undone only if granted since the last save");
            var kept = stored.Grants.Where(g => g.GrantId == note.GrantId).ToList();
            if (kept is [var grant] && !_endedSinceSave.Contains(note.GrantId))
            {
                _granted[note.GrantId] = (grant.Network, grant.ExpiresAt.ToUnixTimeMilliseconds());
            }
            else
            {
                _granted.Remove(note.GrantId);
            }
        }

        _grantedSinceSave.Clear();
        TableMatchesModel();
    }

    public void Planned(PlannedWrite plan)
    {
        var kept = Core.Kept.Coverage;
        var justified = CidrSet.Create(_granted.Values.Select(g => g.Network)).Union(kept).Union(CidrSet.Create(world.Sentinel));
        True(plan.Desired.Except(justified).IsEmpty, "nothing is written that no live grant or kept range justifies");
        // Neither by the ranges a damaged store preserved: a grant that ends takes its address out of them.
        var grantedOrForeign = CidrSet.Create(_granted.Values.Select(g => g.Network)).Union(CidrSet.Create(Core.Kept.Foreign.AsSpan()));
        foreach (var (id, network) in _revokedAcked)
        {
            True(!plan.Desired.Overlaps(network) || grantedOrForeign.Contains(network), $"the acknowledged revocation of {id} is never written back");
        }

        var cover = Core.Table.Granted.Union(kept);
        if (plan.OverCapacity is null)
        {
            True(plan.Desired.SetEquals(cover.IsEmpty ? CidrSet.Create(world.Sentinel) : cover), "the write is the cover of the grants and kept ranges");
        }

        True(plan.NeedsWrite == (plan.Known is null || !plan.Known.SetEquals(plan.Desired)), "a write is sent exactly when Entra may differ");
    }

    public void Settled(List<Settlement> settled, PlannedWrite? plan, EntraException? notDurable)
    {
        if (plan is { } written)
        {
            True(Core.Trust.Known is { } known && known.SetEquals(written.Desired), "a confirmed write is what Entra is known to hold");
            Writes++;
        }

        foreach (var (call, error) in settled)
        {
            True(_waiting.Remove(call, out var what), "only a waiting call is settled, once");
            if (error is not null)
            {
                Failures++;
                True(notDurable is null || ReferenceEquals(error, notDurable), "a call of a write the store could not keep fails with ENTRA063");
                True(plan is not null || call.IsGrant, "a write cut to Graph's limit fails only grant calls");
                continue;
            }

            Acknowledged++;
            True(plan is { } confirmed && confirmed.Version >= call.Version, "a call is settled only by a write at or past its version");
            True(notDurable is null, "a failed save never acknowledges");
            var at = plan!.Value;
            // Unless a later call changed the grant (a revocation, or a grant of its id that came after it).
            if (what.Id is { } id && !what.IsRevoke && _grants.GetValueOrDefault(id) == what.Grants && _granted.TryGetValue(id, out var held) && held.Network == what.Network)
            {
                True(at.Desired.Contains(what.Network), $"an acknowledged grant of {id} is in the write");
                True(world.Stored.Grants.Any(g => g.GrantId == id && g.Network == what.Network), $"an acknowledged grant of {id} is durable");
            }

            if (what.IsRevoke && what.Id is { } revoked && _grants.GetValueOrDefault(revoked) == what.Grants)
            {
                _revokedAcked[revoked] = what.Network;
                True(!world.Stored.Grants.Any(g => g.GrantId == revoked), $"an acknowledged revocation of {revoked} is durable");
            }
        }
    }

    public void Failed(List<Settlement> settled, PlannedWrite plan)
    {
        True(Core.Trust.Known is null, "after a failed write Entra's state is unknown");
        True(settled.All(s => s.Error is not null && s.Call.Version <= plan.Version), "a failed write fails its calls, and no later one");
        foreach (var (call, _) in settled)
        {
            True(_waiting.Remove(call), "only a waiting call is settled, once");
            Failures++;
        }
    }

    public void ReadDecided() =>
        True(!Core.Waiters.ChangePending && Core.Trust.Known is not null && world.Now >= Core.Trust.TrustFrom, "a read runs only with nothing to write, once reads can be trusted");

    public void ReadTaken() => True(Core.Trust.Known is not null || Core.Waiters.ChangePending, "a read gives a known state");

    public void SleepDecided(TimeSpan wait) => True(wait > TimeSpan.Zero, "the loop sleeps only when nothing is due");

    public void AfterStep()
    {
        TableMatchesModel();
        That(Core.Waiters.Count, _waiting.Count, "every waiting call is the core's and the model's");
    }

    private void Ended(string id)
    {
        _granted.Remove(id);
        _grantedSinceSave.Remove(id);
        _endedSinceSave.Add(id);
    }

    private void TableMatchesModel()
    {
        That(Core.Table.Count, _granted.Count, "the table holds the model's grants");
        foreach (var (id, (network, expiresAtMs)) in _granted)
        {
            True(Core.Table.TryGet(id, out var entry) && entry.Network == network && entry.ExpiresAtMs == expiresAtMs, $"{id} is as the model has it");
        }
    }

    private static void True(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantBroken(what);
        }
    }

    private static void That<T>(T actual, T expected, string what) => True(EqualityComparer<T>.Default.Equals(actual, expected), $"{what} ({actual} != {expected})");
}

/// <summary>An invariant of the core model failed; the test reports it with the seed and the step.</summary>
internal sealed class InvariantBroken(string message) : Exception(message);
