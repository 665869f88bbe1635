using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// What a start decided: how many stored grants it ended, and the stored grants that no longer fit the cap; or, when
/// its read could not be trusted, nothing at all but when to read again (<paramref name="ReadAgainAt"/>).
/// </summary>
internal sealed record StartOutcome(int Expired, int RemovedInEntra, IReadOnlyList<EntraException> Dropped, DateTimeOffset? ReadAgainAt = null)
{
    /// <summary>Gets a value indicating whether grants the start ended must be saved before any call is served.</summary>
    public bool MustSave => Expired + RemovedInEntra > 0;

    /// <summary>Gets a value indicating whether the start is done: false when it waits for a read it can trust.</summary>
    public bool IsStarted => ReadAgainAt is null;
}

internal sealed partial class GateCore
{
    /// <summary>
    /// The gate starts on what the store held (<paramref name="loaded"/>) and a read of the location that began at
    /// <paramref name="now"/>: Entra's state, the kept ranges, and the grants restored. A read that cannot be trusted
    /// (too soon after the last write) decides nothing: the outcome says when to read again and call this again.
    /// </summary>
    public StartOutcome Start(GrantStoreLoadResult loaded, string locationId, IpNamedLocation location, DateTimeOffset now)
    {
        var snapshot = loaded.Snapshot;

        // A damaged store may have lost when the last write was, which may have been an instant ago: the window of
        // stale reads then counts from the first read of this start (kept across its reads again).
        Trust.LastWriteAt = snapshot.LastWriteAt ?? (loaded.IsDamaged ? Trust.LastWriteAt ?? now : null);
        if (!Trust.IsTrusted(now))
        {
            // Every decision below can put an address back (what a damaged store preserves, a stored grant restored
            // because a stale read still shows it) or drop a live grant (one a stale read does not show yet). None is
            // taken on such a read, nor is anything written: the driver reads again once reads can be trusted.
            return new StartOutcome(0, 0, [], Trust.TrustFrom);
        }

        LocationId = locationId;
        DisplayName = location.DisplayName;
        Store.Problems = loaded.Problems;
        Trust.NewestModifiedSeen = location.ModifiedDateTime;
        Trust.WrittenOwn = snapshot.WrittenRanges;

        // The process before may have died with a write in flight: it can still land, undoing what this one writes.
        _reads.WriteInDoubt(Trust.LastWriteAt);
        // The last confirmed write's own entries are the gate's for certain, even those the memory of sent entries
        // had forgotten: a read showing one whose grant ended (a stale read, or a revocation whose write never
        // landed) must remove it, never keep it as another writer's.
        Trust.Restore(snapshot.OwnedRanges.Concat(snapshot.WrittenRanges), snapshot.LastWriteAt ?? now);

        // The read is trusted (checked above): it is what Entra holds.
        Trust.Known = location.ToSet();
        if (_settings.Ownership == LocationOwnership.Shared)
        {
            // The grant table is still empty here (restoring comes after the kept ranges, which count against the
            // cap), and the stored owned ranges may lack a range still granted: the memory of sent entries forgets
            // after a quiet while, and a save needs no write (one of two grants of a NAT address revoked). So
            // whatever a stored grant covers is the gate's own, expired ones included (their address must leave
            // now): taken for another writer's, it would stay after every grant ended.
            var stored = CidrSet.Create(snapshot.Grants.Select(grant => grant.Network));
            Kept = Kept.WithForeign(ForeignIn(location, stored));
        }

        // A damaged store may have lost grants: remove nothing from Entra until the host reconciles or flushes,
        // across restarts too (the preserved ranges are stored). What the location no longer holds is not kept: it
        // was removed since (a revocation carved it out, perhaps unsaved, or a person), and keeping means keeping
        // what is there, never putting back. The read is trusted, so it no longer shows what a revocation removed.
        var held = location.ToSet();
        var preserved = snapshot.PreservedRanges.Where(held.Contains);
        Kept = Kept.WithPreserved(loaded.IsDamaged
            ? preserved.Concat(location.IpRanges.Where(range => range != _settings.Sentinel))
            : preserved);

        // After the kept ranges: they count against the cap too.
        var outcome = Restore(snapshot, held, now);
        Waiters.Bump();
        Store.MetadataDirty = true;
        _reads.Started(now);
        return outcome;
    }

    private StartOutcome Restore(GrantStoreSnapshot snapshot, CidrSet inEntra, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var sent = CidrSet.Create(snapshot.WrittenRanges.AsSpan());
        var expired = new List<AuditNote>();
        var removedInEntra = new List<AuditNote>();
        var dropped = new List<EntraException>();
        foreach (var stored in snapshot.Grants)
        {
            var entry = new GrantEntry(stored.Network, stored.ExpiresAt.ToUnixTimeMilliseconds(), stored.GrantedAt.ToUnixTimeMilliseconds());
            if (entry.ExpiresAtMs <= nowMs)
            {
                // Expiries missed while the host was down apply at once, and the address leaves what is preserved.
                expired.Add(new AuditNote(AuditKind.Expired, stored.GrantId, entry.Network, default, entry.ExpiresAtMs));
                Table.Sessions?.EndedWhileDown(stored.GrantId);
                continue;
            }

            // Written to Entra once, gone from it now: removed after the store's last save, by a revocation whose
            // save failed or by a person. The store cannot tell which, so it stays out (fail closed); the host's
            // reconcile brings back what is still granted. Only a trusted read tells "gone" (a stale one may still
            // show a revoked address, or not yet show a written one).
            if (sent.Contains(entry.Network) && !inEntra.Contains(entry.Network))
            {
                removedInEntra.Add(new AuditNote(AuditKind.RemovedInEntra, stored.GrantId, entry.Network, default, entry.ExpiresAtMs));
                continue;
            }

            if (!Table.Holds(entry.Network) && LocationWrite.Count(Table.GrantedWith(entry.Network), Kept) > _settings.MaxRanges)
            {
                dropped.Add(new EntraException(EntraErrorCode.CapacityExceeded, $"Stored grant '{ShownText.Of(stored.GrantId)}' ({entry.Network}) no longer fits the cap of {_settings.MaxRanges} ranges and was dropped"));
                continue;
            }

            Table.Set(stored.GrantId, entry);
        }

        // A grant that ended while the gate was down ends as any other: its address leaves what is preserved.
        foreach (var note in expired)
        {
            Kept = Kept.WithoutPreserved(note.Network);
        }

        _audit.AddRange(expired);
        _audit.AddRange(removedInEntra);
        return new StartOutcome(expired.Count, removedInEntra.Count, dropped);
    }
}
