using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The list a gate writes to the location, and which part of it is the gate's own. Kept ranges (others' under shared
/// ownership, or what a damaged store could not account for) come first, exactly as they were written; the grants
/// follow as their minimal exact cover minus what the kept ones already cover, so the two never merge into a range
/// that is neither's and the gate can tell its own entries apart on the next read. Nothing is ever /8 or wider: such a
/// cover entry is split into /9s, which covers exactly the same addresses.
/// </summary>
internal sealed record LocationWrite(ImmutableArray<Cidr> Ranges, ImmutableArray<Cidr> Own, bool IsSentinel)
{
    public CidrSet ToSet() => CidrSet.Create(Ranges.AsSpan());

    /// <summary>
    /// This write cut to <paramref name="limit"/> entries by leaving out the gate's smallest own entries: the result
    /// grants a subset of what was asked, never more. Kept ranges stay whole while they fit; when they alone exceed
    /// the limit (others' ranges piled up behind the gate's back), the last of them are left out too, since removing
    /// access must never wait for capacity: a write that fits is always possible, and it grants less, never more.
    /// </summary>
    public LocationWrite Truncated(int limit)
    {
        var kept = Ranges[..(Ranges.Length - Own.Length)];
        if (kept.Length > limit)
        {
            kept = kept[..limit];
        }

        var room = limit - kept.Length;
        var own = Own.OrderBy(static cidr => cidr.PrefixLength - (cidr.IsIPv6 ? 96 : 0)).Take(room).ToImmutableArray();
        return kept.IsEmpty && own.IsEmpty ? this : new LocationWrite(kept.AddRange(own), own, IsSentinel: false);
    }

    public static LocationWrite Compose(CidrSet granted, KeptRanges kept, Cidr sentinel)
    {
        var own = Split(kept.IsEmpty ? granted.ToCidrs() : granted.Except(kept.Coverage).ToCidrs());
        var others = Split(kept.List);
        if (own.IsEmpty && others.IsEmpty)
        {
            return new LocationWrite([sentinel], [], IsSentinel: true);
        }

        return new LocationWrite(others.AddRange(own), own, IsSentinel: false);
    }

    /// <summary>How many entries <see cref="Compose"/> would write, without building the list.</summary>
    public static int Count(CidrSet granted, KeptRanges kept)
    {
        var own = kept.IsEmpty ? granted : granted.Except(kept.Coverage);
        var count = CountSplit(own) + kept.List.Length + ExtraFromSplit(kept.List);
        return Math.Max(count, 1);
    }

    private static int CountSplit(CidrSet set) => set.CidrCount + (MayHoldWideCidr(set) ? ExtraFromSplit(set.ToCidrs()) : 0);

    private static int ExtraFromSplit(ImmutableArray<Cidr> cidrs)
    {
        var extra = 0;
        foreach (var cidr in cidrs)
        {
            if (cidr.PrefixLength < GraphLimits.WidestPrefixLength)
            {
                extra += (1 << (GraphLimits.WidestPrefixLength - cidr.PrefixLength)) - 1;
            }
        }

        return extra;
    }

    // Only a range of at least 2^24 IPv4 (2^120 IPv6) addresses can contain a /8; checking the range sizes costs
    // nothing, so the cover is enumerated only in that (absurd) case.
    private static bool MayHoldWideCidr(CidrSet set)
    {
        foreach (var range in set.IPv4Ranges)
        {
            if (range.Last - range.First >= (1u << 24) - 1)
            {
                return true;
            }
        }

        foreach (var range in set.IPv6Ranges)
        {
            if (range.Last - range.First >= (UInt128.One << 120) - 1)
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<Cidr> Split(ImmutableArray<Cidr> cidrs)
    {
        var wide = false;
        foreach (var cidr in cidrs)
        {
            wide |= cidr.PrefixLength < GraphLimits.WidestPrefixLength;
        }

        if (!wide)
        {
            return cidrs;
        }

        var result = ImmutableArray.CreateBuilder<Cidr>(cidrs.Length);
        foreach (var cidr in cidrs)
        {
            if (cidr.PrefixLength >= GraphLimits.WidestPrefixLength)
            {
                result.Add(cidr);
                continue;
            }

            var parts = 1 << (GraphLimits.WidestPrefixLength - cidr.PrefixLength);
            var step = UInt128.One << ((cidr.IsIPv6 ? 128 : 32) - GraphLimits.WidestPrefixLength);
            for (var i = 0; i < parts; i++)
            {
                result.Add(new Cidr(cidr.IsIPv6, cidr.Bits + (step * (UInt128)i), GraphLimits.WidestPrefixLength));
            }
        }

        return result.ToImmutable();
    }
}
