using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The gate's decisions, pure and synchronous: given the grant table, what Entra is known to hold and how far a read
/// can be trusted, the ranges the gate itself sent, the settings and <c>now</c> (always passed in), it answers what to
/// write, which waiting calls a write settles, and what is due next. No I/O, no locks, no clock, no tasks: the driver
/// (<see cref="NamedLocationGate"/>) holds the lock, feeds it events and carries its decisions out.
/// <para>
/// The events, in the order of a grant's life: a call arrives (<see cref="Grant"/>, <see cref="Revoke"/>,
/// <see cref="Flush"/>, <see cref="Reconcile"/>, this file); the loop asks what is due (<see cref="NextStep"/>),
/// plans a write, hears whether the store saved it and whether Entra took it (GateCore.Write.cs); reads the location
/// back (GateCore.Read.cs); and at a start, restores the store against a read (GateCore.Start.cs).
/// </para>
/// </summary>
internal sealed partial class GateCore
{
    private readonly GateSettings _settings;
    private readonly UnsavedGrants _unsaved = new();
    private readonly ReadSchedule _reads;
    private readonly RetrySchedule _retry;
    private List<AuditNote> _audit = [];

    public GateCore(GateSettings settings)
    {
        _settings = settings;
        Table = new GrantTable { Sessions = settings.UserOfGrant is { } userOf ? new SessionEnds(userOf) : null };
        Trust = new ReadTrust(settings.ReadAfterWriteDelay);
        Store = new StoreSync(settings.RetryBaseDelay);
        _reads = new ReadSchedule(settings.DriftCheckInterval, settings.ReadAfterWriteDelay, settings.InFlightHorizon);
        _retry = new RetrySchedule(new RetryBackoff(settings.RetryBaseDelay, settings.RetryMaxDelay));
    }

    public GrantTable Table { get; }

    public Waiters Waiters { get; } = new();

    public ReadTrust Trust { get; }

    public StoreSync Store { get; }

    /// <summary>Gets the ranges that stay though no grant holds them: others' (shared ownership), or what a damaged store left.</summary>
    public KeptRanges Kept { get; private set; } = KeptRanges.None;

    public string? LocationId { get; set; }

    public string? DisplayName { get; private set; }

    /// <summary>Gets a value indicating whether the location must be read and checked again before the next write.</summary>
    public bool MustRevalidate { get; private set; }

    public long WriteCount { get; private set; }

    public EntraException? LastError { get; private set; }

    /// <summary>Gets the Entra users whose last grant's end Entra now holds: the driver ends their sessions, once each.</summary>
    public List<string> SessionsToEnd { get; } = [];

    /// <summary>Returns the audit events decided since the last call, in order.</summary>
    public List<AuditNote> TakeAudit()
    {
        if (_audit.Count == 0)
        {
            return _audit;
        }

        var notes = _audit;
        _audit = [];
        return notes;
    }

    /// <summary>Refuses a network that overlaps the sentinel (ENTRA059): the sentinel is never a grant.</summary>
    public Cidr CheckNetwork(Cidr network) =>
        network.Contains(_settings.Sentinel) || _settings.Sentinel.Contains(network)
            ? throw new EntraException(EntraErrorCode.GrantRefused, $"{network} overlaps the location's sentinel {_settings.Sentinel}, which is never a grant")
            : network;

    /// <summary>
    /// A grant call arrived: records it, or throws ENTRA058/059 having changed nothing. The call waits unless it
    /// changed nothing and its network is known to be in Entra already.
    /// </summary>
    public (GrantOutcome Outcome, GrantEntry Entry, bool MustWait) Grant(string grantId, Cidr network, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        CheckExpiry(grantId, expiresAt, now);
        var outcome = Apply(grantId, network, expiresAt, now, checkCapacity: true);
        Table.TryGet(grantId, out var entry);
        var mustWait = outcome != GrantOutcome.Unchanged || Trust.Known is not { } known || !known.Contains(network);
        return (outcome, entry, mustWait);
    }

    /// <summary>A revocation arrived: the grant ends (null: there was none, and nothing changes).</summary>
    public GrantEntry? Revoke(string grantId)
    {
        if (!Table.Remove(grantId, out var entry))
        {
            return null;
        }

        Ended(grantId, entry.Network);
        Waiters.Bump();
        _audit.Add(new AuditNote(AuditKind.Revoked, grantId, entry.Network, default, entry.ExpiresAtMs));
        return entry;
    }

    /// <summary>A flush arrived: every grant ends, and so does what a damaged store kept. Returns how many grants ended (-1: nothing to do).</summary>
    public int Flush()
    {
        var count = Table.Count;
        if (count == 0 && Kept.Preserved.IsEmpty)
        {
            return -1;
        }

        foreach (var (id, entry) in Table)
        {
            _audit.Add(new AuditNote(AuditKind.Revoked, id, entry.Network, default, entry.ExpiresAtMs));
        }

        Table.Clear();
        _unsaved.Clear();
        Kept = Kept.WithPreserved([]);
        Waiters.Bump();
        return count;
    }

    /// <summary>Expiries that fell due by <paramref name="now"/> end their grants; returns how many.</summary>
    public int ApplyExpiries(DateTimeOffset now)
    {
        if (Table.NextExpiryMs() is not { } next || next > now.ToUnixTimeMilliseconds())
        {
            return 0;
        }

        var expired = new List<(string Id, GrantEntry Entry)>();
        Table.RemoveExpired(now.ToUnixTimeMilliseconds(), expired);
        foreach (var (id, entry) in expired)
        {
            Ended(id, entry.Network);
            _audit.Add(new AuditNote(AuditKind.Expired, id, entry.Network, default, entry.ExpiresAtMs));
        }

        if (expired.Count > 0)
        {
            Waiters.Bump();
        }

        return expired.Count;
    }

    /// <summary>
    /// What still allows <paramref name="network"/> now that its grant's removal is in Entra: the other grants that
    /// hold some of it, and the kept entries that cover some of it. Asked after the write, so a grant of the same
    /// address that arrived meanwhile is named too: the caller learns what Entra holds, not what it held an instant ago.
    /// </summary>
    public RevokeResult WhatStillAllows(Cidr network)
    {
        var holders = ImmutableArray<string>.Empty;
        if (Table.Granted.Overlaps(network))
        {
            // Only a shared address pays for the scan; the usual revocation is one binary search.
            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var (id, entry) in Table)
            {
                if (entry.Network.Overlaps(network))
                {
                    builder.Add(id);
                }
            }

            builder.Sort(StringComparer.Ordinal);
            holders = builder.ToImmutable();
        }

        var kept = Kept.Coverage.Overlaps(network)
            ? [.. Kept.List.Where(range => range.Overlaps(network))]
            : ImmutableArray<Cidr>.Empty;
        return RevokeResult.Ended(network, holders, kept);
    }

    /// <summary>Records one grant, or throws ENTRA058 having changed nothing.</summary>
    private GrantOutcome Apply(string grantId, Cidr network, DateTimeOffset expiresAt, DateTimeOffset now, bool checkCapacity)
    {
        var expiresAtMs = expiresAt.ToUnixTimeMilliseconds();
        var exists = Table.TryGet(grantId, out var previous);
        if (exists && previous.Network == network && previous.ExpiresAtMs == expiresAtMs)
        {
            return GrantOutcome.Unchanged;
        }

        // A new network can add ranges; a move can too, since the old network leaving may split a range.
        if (checkCapacity && (!Table.Holds(network) || (exists && previous.Network != network)))
        {
            var needed = LocationWrite.Count(Table.GrantedIfMoved(grantId, network), Kept);
            if (needed > _settings.MaxRanges)
            {
                throw new EntraException(
                    EntraErrorCode.CapacityExceeded,
                    $"Granting {network} would need {needed} ranges in the location; the cap is {_settings.MaxRanges}");
            }
        }

        Table.Set(grantId, new GrantEntry(network, expiresAtMs, exists ? previous.GrantedAtMs : now.ToUnixTimeMilliseconds()));
        Waiters.Bump();
        if (_settings.HasStore)
        {
            _unsaved.Granted(grantId, exists ? previous : null, Waiters.Version);
        }

        _audit.Add(new AuditNote(exists ? AuditKind.Moved : AuditKind.Added, grantId, network, exists ? previous.Network : default, expiresAtMs));
        return exists ? GrantOutcome.Moved : GrantOutcome.Added;
    }

    private static void CheckExpiry(string grantId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt.ToUnixTimeMilliseconds() <= now.ToUnixTimeMilliseconds())
        {
            throw new EntraException(EntraErrorCode.GrantRefused, $"The expiry {expiresAt:O} of grant '{ShownText.Of(grantId)}' is not in the future");
        }
    }

    /// <summary>A grant ended: never undone, and its address leaves what a damaged store kept.</summary>
    private void Ended(string grantId, Cidr network)
    {
        _unsaved.Ended(grantId);
        Kept = Kept.WithoutPreserved(network);
    }
}

/// <summary>What a grant call changed.</summary>
internal enum GrantOutcome
{
    Unchanged,
    Added,
    Moved,
}
