using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Grants;

namespace Knocknoc.Entra.Sdk.Gate;

/// <summary>One grant as the table keeps it: 40 bytes, times as Unix milliseconds.</summary>
internal readonly record struct GrantEntry(Cidr Network, long ExpiresAtMs, long GrantedAtMs)
{
    public Grant ToGrant(string id) =>
        new(id, Network, DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs), DateTimeOffset.FromUnixTimeMilliseconds(GrantedAtMs));
}

/// <summary>
/// The grants of one gate and what follows from them: how many grants hold each network (the last one out turns off
/// the lights), the exact set of granted addresses, and the expiries in order. Not thread-safe: the gate locks.
/// </summary>
internal sealed class GrantTable
{
    private readonly Dictionary<string, GrantEntry> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<Cidr, int> _holders = [];

    // Expiries in order; an entry whose grant moved on since is skipped when it surfaces (lazy deletion).
    private readonly PriorityQueue<string, long> _expiries = new();

    private CidrSet _granted = CidrSet.Empty;

    // With only host networks, removing the last holder of one is an exact Except; a wider network (an IPv6 /64)
    // may overlap another, so then the set is rebuilt from the holders when next needed.
    private int _wideNetworks;
    private bool _grantedStale;

    public int Count => _grants.Count;

    public int NetworkCount => _holders.Count;

    /// <summary>Gets the union of every granted network.</summary>
    public CidrSet Granted
    {
        get
        {
            if (_grantedStale)
            {
                var builder = new CidrSetBuilder(_holders.Count);
                foreach (var network in _holders.Keys)
                {
                    builder.Add(network);
                }

                _granted = builder.ToSet();
                _grantedStale = false;
            }

            return _granted;
        }
    }

    public Dictionary<string, GrantEntry>.Enumerator GetEnumerator() => _grants.GetEnumerator();

    public bool TryGet(string id, out GrantEntry entry) => _grants.TryGetValue(id, out entry);

    public bool Holds(Cidr network) => _holders.ContainsKey(network);

    /// <summary>The granted set if <paramref name="network"/> were granted too.</summary>
    public CidrSet GrantedWith(Cidr network) => Holds(network) ? Granted : Granted.Union(CidrSet.Create(network));

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
                Release(old.Network);
            }
        }

        _grants[id] = entry;
        if (!sameNetwork)
        {
            Hold(entry.Network);
        }

        if (previous is not { } p || p.ExpiresAtMs != entry.ExpiresAtMs)
        {
            _expiries.Enqueue(id, entry.ExpiresAtMs);
            CompactExpiriesIfBloated();
        }

        return previous;
    }

    public bool Remove(string id, out GrantEntry removed)
    {
        if (!_grants.Remove(id, out removed))
        {
            return false;
        }

        Release(removed.Network);
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
        _grants.Clear();
        _holders.Clear();
        _expiries.Clear();
        _granted = CidrSet.Empty;
        _wideNetworks = 0;
        _grantedStale = false;
    }

    private void Hold(Cidr network)
    {
        ref var holders = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_holders, network, out var existed);
        holders++;
        if (existed)
        {
            return;
        }

        if (!network.IsHost)
        {
            _wideNetworks++;
        }

        if (!_grantedStale)
        {
            _granted = _granted.Union(CidrSet.Create(network));
        }
    }

    private void Release(Cidr network)
    {
        ref var holders = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_holders, network);
        if (--holders > 0)
        {
            return;
        }

        _holders.Remove(network);
        if (!network.IsHost)
        {
            _wideNetworks--;
            _grantedStale = true;
        }
        else if (_wideNetworks > 0)
        {
            _grantedStale = true;
        }
        else if (!_grantedStale)
        {
            _granted = _granted.Except(CidrSet.Create(network));
        }
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
