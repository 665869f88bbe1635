using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

internal sealed partial class GateCore
{
    /// <summary>
    /// The state to save, if it changed since the last save: the grants, the owned, written, foreign and preserved
    /// ranges, and the time of the last write. Null when the store is current.
    /// </summary>
    public (GrantStoreSnapshot Snapshot, long Version)? TakeSnapshotToSave()
    {
        if (!Store.NeedsSave(Waiters.Version))
        {
            return null;
        }

        var grants = ImmutableArray.CreateBuilder<StoredGrant>(Table.Count);
        foreach (var (id, entry) in Table)
        {
            var grant = entry.ToGrant(id);
            grants.Add(new StoredGrant(id, grant.Network, grant.ExpiresAt, grant.GrantedAt));
        }

        Store.MetadataDirty = false;
        var snapshot = new GrantStoreSnapshot
        {
            Grants = grants.MoveToImmutable(),
            OwnedRanges = [.. Trust.OwnSent],
            WrittenRanges = Trust.WrittenOwn,
            ForeignRanges = Kept.Foreign,
            PreservedRanges = Kept.Preserved,
            LastWriteAt = Trust.LastWriteAt,
        };
        return (snapshot, Waiters.Version);
    }

    /// <summary>The store holds the state at <paramref name="version"/>: the grants it holds can no longer be undone.</summary>
    public void Saved(long version)
    {
        Store.Saved(version);
        _unsaved.Saved(version);
    }

    public void SaveFailed(Exception error, DateTimeOffset now) => Store.Failed(error, now);

    /// <summary>The state a host sees: grants, what the gate wants Entra to hold, and what Entra is known to hold.</summary>
    public NamedLocationGateState State(string name, bool started)
    {
        var grants = ImmutableArray.CreateBuilder<Grant>(Table.Count);
        foreach (var (id, entry) in Table)
        {
            grants.Add(entry.ToGrant(id));
        }

        grants.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var desired = LocationWrite.Compose(Table.Granted, Kept, _settings.Sentinel);
        return new NamedLocationGateState
        {
            Name = name,
            IsStarted = started,
            LocationId = LocationId,
            LocationDisplayName = DisplayName,
            Grants = grants.MoveToImmutable(),
            GrantedRanges = Table.Granted.ToCidrs(),
            DesiredRanges = desired.Ranges,
            EntraRanges = Trust.Known,
            Pending = Trust.Known is { } known ? CidrSet.Diff(known, desired.ToSet()) : null,
            KeptRanges = Kept.List,
            WaitingCalls = Waiters.Count,
            WriteCount = WriteCount,
            LastWriteAt = Trust.LastWriteAt,
            LastError = LastError ?? Store.Error,
            StoreError = Store.Error,
            StoreProblems = Store.Problems,
        };
    }

    public (int Grants, int Networks, int LastRanges) Gauges() => (Table.Count, Table.NetworkCount, Trust.Known?.CidrCount ?? 0);
}
