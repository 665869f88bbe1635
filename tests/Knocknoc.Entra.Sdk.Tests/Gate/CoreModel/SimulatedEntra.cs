using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Tests.Gate.CoreModel;

/// <summary>
/// The location as Graph keeps it, for the core model: every version with when it was written, writes that land late
/// (until the attempt timeout), and reads that may show any version written within the stale window before the
/// newest (so successive reads flip-flop), never older: the consistency the gate's read trust is built for. One read
/// in eight comes from a replica that lags even once the window has passed.
/// </summary>
internal sealed class SimulatedEntra(Random random, TimeSpan staleWindow)
{
    private readonly List<(ImmutableArray<Cidr> Ranges, DateTimeOffset At)> _versions = [([Cidr.Parse("192.0.2.0/32")], DateTimeOffset.UnixEpoch)];
    private readonly List<(ImmutableArray<Cidr> Ranges, DateTimeOffset LandsAt)> _late = [];

    public const string LocationId = "00000000-0000-0000-0000-000000000001";

    public ImmutableArray<Cidr> Current => _versions[^1].Ranges;

    public CidrSet CurrentSet => CidrSet.Create(Current.AsSpan());

    public bool HasLateWrites => _late.Count > 0;

    /// <summary>A PATCH (or someone's edit) applied at <paramref name="now"/>.</summary>
    public void Apply(ImmutableArray<Cidr> ranges, DateTimeOffset now)
    {
        // modifiedDateTime only moves forward: two writes in one instant are one version apart by a tick.
        var at = now > _versions[^1].At ? now : _versions[^1].At.AddTicks(1);
        _versions.Add((ranges, at));
        if (_versions.Count > 64)
        {
            _versions.RemoveRange(0, 32);
        }
    }

    /// <summary>A PATCH whose answer was lost: it lands at some point before <paramref name="horizon"/> passes.</summary>
    public void ApplyLate(ImmutableArray<Cidr> ranges, DateTimeOffset now, TimeSpan horizon) =>
        _late.Add((ranges, now + (horizon * random.NextDouble())));

    /// <summary>Lands the late writes due by <paramref name="now"/>.</summary>
    public void Advance(DateTimeOffset now)
    {
        for (var i = 0; i < _late.Count; i++)
        {
            if (_late[i].LandsAt <= now)
            {
                Apply(_late[i].Ranges, _late[i].LandsAt);
                _late.RemoveAt(i--);
            }
        }
    }

    public IpNamedLocation Read(DateTimeOffset now)
    {
        var newest = _versions[^1];
        // Now and then a replica lags further behind than the window (the gate then relies on modifiedDateTime alone).
        var lagging = random.Next(8) == 0;
        var candidates = _versions.Where(v => newest.At - v.At <= staleWindow && (lagging || now - newest.At < staleWindow)).ToList();
        var (ranges, at) = candidates.Count > 1 && random.Next(2) == 0 ? candidates[random.Next(candidates.Count)] : newest;
        return new IpNamedLocation(LocationId, "knocknoc_vpn", null, at, false, ranges);
    }
}
