using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// How far a read of the location can be believed. Graph is eventually consistent: for a while after a write, reads
/// show the old version or the new. So a read is trusted only <c>ReadAfterWriteDelay</c> after the gate's last
/// write (sent, not just confirmed: a lost answer may hide an applied request), a read older than one already seen
/// says nothing new, and the gate's own recently sent entries are never taken for another writer's.
/// </summary>
internal sealed class ReadTrust(TimeSpan readAfterWriteDelay)
{
    // The gate's own entries of its recent writes (attempted ones included) and when they were last sent.
    private readonly Dictionary<Cidr, DateTimeOffset> _ownSent = [];
    private DateTimeOffset _nextForgetAt = DateTimeOffset.MinValue;

    /// <summary>Gets what Entra is known to hold: the last confirmed write or trusted read; null when unknown.</summary>
    public CidrSet? Known { get; set; }

    /// <summary>Gets or sets when the gate last sent (or had confirmed) a write; stored, so a restart distrusts reads too.</summary>
    public DateTimeOffset? LastWriteAt { get; set; }

    public DateTimeOffset? NewestModifiedSeen { get; set; }

    /// <summary>
    /// Gets or sets the gate's own entries as of its last confirmed write, stored exactly: at a start they tell a
    /// grant that was in Entra (and so was removed if Entra lacks it now) from one that never was written.
    /// </summary>
    public ImmutableArray<Cidr> WrittenOwn { get; set; } = [];

    public IEnumerable<Cidr> OwnSent => _ownSent.Keys;

    /// <summary>Gets when reads can be trusted again.</summary>
    public DateTimeOffset TrustFrom => LastWriteAt is { } last ? GateTime.Add(last, readAfterWriteDelay) : DateTimeOffset.MinValue;

    public bool IsTrusted(DateTimeOffset now) => now >= TrustFrom;

    public bool WasSent(Cidr range) => _ownSent.ContainsKey(range);

    /// <summary>Whether a read last modified at <paramref name="modified"/> is older than one already seen (and says nothing new).</summary>
    public bool IsStale(DateTimeOffset? modified) =>
        modified is { } at && NewestModifiedSeen is { } newest && at < newest;

    /// <summary>Notes the gate's own entries as sent now (before sending), and forgets those not sent for a long while.</summary>
    public void Sent(ImmutableArray<Cidr> own, DateTimeOffset now)
    {
        LastWriteAt = now;
        foreach (var range in own)
        {
            _ownSent[range] = now;
        }

        Forget(now);
    }

    /// <summary>
    /// Entra holds a write whose own entries are <paramref name="own"/>, as of <paramref name="now"/>; returns whether
    /// they differ from the last confirmed ones (to be stored). The entries it dropped are remembered from now, however
    /// long ago they were last sent: stale reads may show the version before it for a while yet, and an entry of the
    /// gate's must never pass for another writer's.
    /// </summary>
    public bool Confirmed(ImmutableArray<Cidr> own, DateTimeOffset now)
    {
        if (WrittenOwn.SequenceEqual(own))
        {
            return false;
        }

        // Those kept are refreshed too (they were sent just now): one pass, no set of the new entries to build.
        foreach (var range in WrittenOwn)
        {
            _ownSent[range] = now;
        }

        WrittenOwn = own;
        return true;
    }

    /// <summary>At a start: the stored own entries, as sent when the store says the last write was.</summary>
    public void Restore(IEnumerable<Cidr> own, DateTimeOffset sentAt)
    {
        foreach (var range in own)
        {
            _ownSent[range] = sentAt;
        }
    }

    /// <summary>
    /// Forgets own entries not sent for several read-after-write delays: long enough for any stale read to have
    /// passed, short enough that another writer may later add the same range as its own.
    /// </summary>
    public void Forget(DateTimeOffset now)
    {
        var memory = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, readAfterWriteDelay.Ticks * 10));
        if (now < _nextForgetAt)
        {
            // A sweep every tenth of the memory is precise enough, and keeps a write from scanning every entry.
            return;
        }

        _nextForgetAt = now + (memory / 10);
        var horizon = now - memory;

        // The last confirmed write's entries are never forgotten: Entra shows them until a later write lands, which
        // may take a long outage.
        var confirmed = WrittenOwn.ToHashSet();
        foreach (var (range, at) in _ownSent)
        {
            if (at < horizon && !confirmed.Contains(range))
            {
                _ownSent.Remove(range);
            }
        }
    }
}
