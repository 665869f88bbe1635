using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.GrantStores;

namespace Knocknoc.Entra.Sdk.Gate;

/// <summary>What a start decided: how many stored grants it ended, and the stored grants that no longer fit the cap.</summary>
internal sealed record StartOutcome(int Expired, int RemovedInEntra, IReadOnlyList<EntraException> Dropped)
{
    /// <summary>Gets a value indicating whether grants the start ended must be saved before any call is served.</summary>
    public bool MustSave => Expired + RemovedInEntra > 0;
}

internal sealed partial class GateCore
{
    /// <summary>
    /// The gate starts on what the store held (<paramref name="loaded"/>) and a read of the location taken at
    /// <paramref name="now"/>: Entra's state (if the read can be trusted), the kept ranges, and the grants restored.
    /// </summary>
    public StartOutcome Start(GrantStoreLoadResult loaded, string locationId, IpNamedLocation location, DateTimeOffset now)
    {
        LocationId = locationId;
        DisplayName = location.DisplayName;
        Store.Problems = loaded.Problems;
        Trust.NewestModifiedSeen = location.ModifiedDateTime;
        var snapshot = loaded.Snapshot;
        Trust.LastWriteAt = snapshot.LastWriteAt;
        Trust.WrittenOwn = snapshot.WrittenRanges;

        // The process before may have died with a write in flight: it can still land, undoing what this one writes.
        _reads.WriteInDoubt(snapshot.LastWriteAt);
        // The last confirmed write's own entries are the gate's for certain, even those the memory of sent entries
        // had forgotten: a read showing one whose grant ended (a stale read, or a revocation whose write never
        // landed) must remove it, never keep it as another writer's.
        Trust.Restore(snapshot.OwnedRanges.Concat(snapshot.WrittenRanges), snapshot.LastWriteAt ?? now);

        // A read this soon after the last write (of this process or the one before) may show an older version:
        // then Entra's state is unknown (the first cycle writes) and others' ranges come from the store.
        var trusted = Trust.IsTrusted(now);
        Trust.Known = trusted ? location.ToSet() : null;
        if (_settings.Ownership == LocationOwnership.Shared)
        {
            // The grant table is still empty here (restoring comes after the kept ranges, which count against the
            // cap), and the stored owned ranges may lack a range still granted: the memory of sent entries forgets
            // after a quiet while, and a save needs no write (one of two grants of a NAT address revoked). So
            // whatever a stored grant covers is the gate's own, expired ones included (their address must leave
            // now): taken for another writer's, it would stay after every grant ended.
            var stored = CidrSet.Create(snapshot.Grants.Select(grant => grant.Network));

            // An untrusted read may miss what others added lately or still show what they removed: keep both what
            // the store knew and what the read shows (the gate's own recent entries excluded), so nothing of another
            // writer's is deleted on the word of a stale read.
            Kept = Kept.WithForeign(trusted ? ForeignIn(location, stored) : snapshot.ForeignRanges.Concat(ForeignIn(location, stored)));
        }

        // A damaged store may have lost grants: remove nothing from Entra until the host reconciles or flushes,
        // across restarts too (the preserved ranges are stored). What the location no longer holds is not kept: it
        // was removed since (a revocation carved it out, perhaps unsaved, or a person), and keeping means keeping
        // what is there, never putting back.
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
                continue;
            }

            // Written to Entra once, gone from it now: removed after the store's last save, by a revocation whose
            // save failed or by a person. The store cannot tell which, so it stays out (fail closed); the host's
            // reconcile brings back what is still granted.
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
