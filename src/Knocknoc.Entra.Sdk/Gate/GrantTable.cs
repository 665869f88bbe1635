using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>One grant as the table keeps it: 40 bytes, times as Unix milliseconds.</summary>
internal readonly record struct GrantEntry(Cidr Network, long ExpiresAtMs, long GrantedAtMs)
{
    public Grant ToGrant(string id) =>
        new(id, Network, DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs), DateTimeOffset.FromUnixTimeMilliseconds(GrantedAtMs));
}

/// <summary>
/// The grants of one gate and what follows from them: which networks more than one grant holds (the last one out
/// turns off the lights), the exact set of granted addresses, and the expiries in order. Not thread-safe: the gate
/// locks. Sized for hundreds of thousands of grants: one dictionary entry and one queue entry per grant, plus one
/// entry per network that several grants share.
/// </summary>
internal sealed class GrantTable
{
    private readonly Dictionary<string, GrantEntry> _grants = new(StringComparer.Ordinal);

    // Holders beyond the first, only for networks several grants share (a NAT address): most networks have one
    // holder, and the granted set itself says whether a network is held at all.
    private readonly Dictionary<Cidr, int> _extraHolders = [];
    private int _extraHolderCount;

    // Expiries in order; an entry whose grant moved on since is skipped when it surfaces (lazy deletion).
    private readonly PriorityQueue<string, long> _expiries = new();

    private CidrSet _granted = CidrSet.Empty;

    // While every network of a family has the same prefix length (hosts; or every IPv6 grant widened to /64), two
    // networks are either identical or disjoint: being in the granted set then means being held, and removing the
    // last holder is an exact Except. Mixed lengths (the widening option changed across a restart) may overlap, so
    // then the set is rebuilt from the grants when next needed.
    private readonly int[] _ipv4Prefixes = new int[33];
    private readonly int[] _ipv6Prefixes = new int[129];
    private int _distinctIPv4Prefixes;
    private int _distinctIPv6Prefixes;
    private bool _grantedStale;

    public int Count => _grants.Count;

    /// <summary>Gets who holds grants, for opt-in session revocation; null when it is off.</summary>
    public SessionEnds? Sessions { get; init; }

    /// <summary>Gets the number of distinct granted networks.</summary>
    public int NetworkCount => _grants.Count - _extraHolderCount;

    /// <summary>Gets the union of every granted network.</summary>
    public CidrSet Granted
    {
        get
        {
            if (_grantedStale)
            {
                var builder = new CidrSetBuilder(_grants.Count);
                foreach (var entry in _grants.Values)
                {
                    builder.Add(entry.Network);
                }

                _granted = builder.ToSet();
                _grantedStale = false;
            }

            return _granted;
        }
    }

    public Dictionary<string, GrantEntry>.Enumerator GetEnumerator() => _grants.GetEnumerator();

    public bool TryGet(string id, out GrantEntry entry) => _grants.TryGetValue(id, out entry);

    /// <summary>Whether granting <paramref name="network"/> would leave the granted set as it is.</summary>
    public bool Holds(Cidr network) => Granted.Contains(network);

    /// <summary>The granted set if <paramref name="network"/> were granted too.</summary>
    public CidrSet GrantedWith(Cidr network) => Holds(network) ? Granted : Granted.Union(CidrSet.Create(network));

    /// <summary>The granted set if grant <paramref name="id"/> held <paramref name="network"/> instead of what it holds now.</summary>
    public CidrSet GrantedIfMoved(string id, Cidr network)
    {
        var set = Granted;
        if (_grants.TryGetValue(id, out var old) && old.Network != network && !_extraHolders.ContainsKey(old.Network) && !Mixed)
        {
            // Its old network leaves with it (no one else holds it): a move at full capacity still fits.
            set = set.Except(CidrSet.Create(old.Network));
        }

        return set.Contains(network) ? set : set.Union(CidrSet.Create(network));
    }

    /// <summary>Sets a grant, replacing the id's previous one; returns it if there was one.</summary>
    public GrantEntry? Set(string id, GrantEntry entry)
    {
        GrantEntry? previous = null;
        var sameNetwork = false;
        if (_grants.TryGetValue(id, out var old))
        {
            previous = old;
            sameNetwork = old.Network == entry.Network;
            if (!sameNetwork)
            {
                // Out of the dictionary first: a rebuild of the granted set must not see the old network.
                _grants.Remove(id);
                Release(old.Network);
            }
        }

        if (!sameNetwork)
        {
            Hold(entry.Network);
        }

        _grants[id] = entry;
        if (previous is null)
        {
            Sessions?.Held(id);
        }

        if (previous is not { } p || p.ExpiresAtMs != entry.ExpiresAtMs)
        {
            _expiries.Enqueue(id, entry.ExpiresAtMs);
            CompactExpiriesIfBloated();
        }

        return previous;
    }

    /// <summary>Removes a grant; <paramref name="undone"/> when it is taken back rather than ended (the store could not keep it).</summary>
    public bool Remove(string id, out GrantEntry removed, bool undone = false)
    {
        if (!_grants.Remove(id, out removed))
        {
            return false;
        }

        Release(removed.Network);
        Sessions?.Released(id, undone);
        return true;
    }

    /// <summary>Removes every grant whose expiry is at or before <paramref name="nowMs"/>, in expiry order.</summary>
    public void RemoveExpired(long nowMs, List<(string Id, GrantEntry Entry)> expired)
    {
        while (_expiries.TryPeek(out var id, out var at) && at <= nowMs)
        {
            _expiries.Dequeue();
            if (_grants.TryGetValue(id, out var entry) && entry.ExpiresAtMs == at)
            {
                Remove(id, out _);
                expired.Add((id, entry));
            }
        }
    }

    /// <summary>The earliest live expiry, skipping entries of grants that moved on.</summary>
    public long? NextExpiryMs()
    {
        while (_expiries.TryPeek(out var id, out var at))
        {
            if (_grants.TryGetValue(id, out var entry) && entry.ExpiresAtMs == at)
            {
                return at;
            }

            _expiries.Dequeue();
        }

        return null;
    }

    public void Clear()
    {
        if (Sessions is { } sessions)
        {
            foreach (var id in _grants.Keys)
            {
                sessions.Released(id, undone: false);
            }
        }

        _grants.Clear();
        _extraHolders.Clear();
        _extraHolderCount = 0;
        _expiries.Clear();
        _granted = CidrSet.Empty;
        Array.Clear(_ipv4Prefixes);
        Array.Clear(_ipv6Prefixes);
        _distinctIPv4Prefixes = 0;
        _distinctIPv6Prefixes = 0;
        _grantedStale = false;
    }

    private bool Mixed => _distinctIPv4Prefixes > 1 || _distinctIPv6Prefixes > 1;

    // Called before the grant is stored, so "held" means held by another grant.
    private void Hold(Cidr network)
    {
        CountPrefix(network, +1);
        if (Mixed ? HeldByAnother(network) : Granted.Contains(network))
        {
            ref var extra = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_extraHolders, network, out _);
            extra++;
            _extraHolderCount++;
            return;
        }

        if (Mixed)
        {
            _grantedStale = true;
        }
        else
        {
            _granted = Granted.Union(CidrSet.Create(network));
        }
    }

    // Called after the grant left the dictionary.
    private void Release(Cidr network)
    {
        var mixed = Mixed;
        ref var extra = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_extraHolders, network);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref extra))
        {
            _extraHolderCount--;
            if (--extra == 0)
            {
                _extraHolders.Remove(network);
            }
        }
        else if (mixed)
        {
            _grantedStale = true;
        }
        else
        {
            _granted = Granted.Except(CidrSet.Create(network));
        }

        CountPrefix(network, -1);
    }

    private void CountPrefix(Cidr network, int change)
    {
        ref var count = ref (network.IsIPv6 ? ref _ipv6Prefixes[network.PrefixLength] : ref _ipv4Prefixes[network.PrefixLength]);
        var before = count;
        count += change;
        var distinctChange = (before == 0 && count > 0) ? 1 : (before > 0 && count == 0) ? -1 : 0;
        if (network.IsIPv6)
        {
            _distinctIPv6Prefixes += distinctChange;
        }
        else
        {
            _distinctIPv4Prefixes += distinctChange;
        }
    }

    // Exact identity, for when prefix lengths are mixed and containment no longer says it: rare, so a scan will do.
    private bool HeldByAnother(Cidr network)
    {
        foreach (var entry in _grants.Values)
        {
            if (entry.Network == network)
            {
                return true;
            }
        }

        return false;
    }

    // Re-granting with new expiries leaves dead entries behind; keep them from outgrowing the live ones.
    private void CompactExpiriesIfBloated()
    {
        if (_expiries.Count <= (2 * _grants.Count) + 1024)
        {
            return;
        }

        _expiries.Clear();
        foreach (var (id, entry) in _grants)
        {
            _expiries.Enqueue(id, entry.ExpiresAtMs);
        }
    }
}
