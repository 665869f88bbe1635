using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// Seeded lists shaped like real allow-lists: mostly clustered IPv4 /32 hosts with many adjacent runs,
/// some /16-/31 prefixes, about 10% IPv6 (hosts and /48-/64 prefixes), duplicates and overlaps.
/// "New" differs from "old" by about 5% removed and 5% added entries.
/// </summary>
internal sealed class RealisticCidrLists
{
    private RealisticCidrLists(string[] oldLines, string[] newLines)
    {
        OldLines = oldLines;
        NewLines = newLines;
        OldCidrs = Array.ConvertAll(oldLines, Cidr.Parse);
        NewCidrs = Array.ConvertAll(newLines, Cidr.Parse);
    }

    public string[] OldLines { get; }

    public string[] NewLines { get; }

    public Cidr[] OldCidrs { get; }

    public Cidr[] NewCidrs { get; }

    public static RealisticCidrLists Generate(int count, int seed)
    {
        var random = new Random(seed);
        var old = new List<string>(count);
        while (old.Count < count)
        {
            old.Add(NextEntry(random, old));
        }

        var next = new List<string>(count);
        foreach (var line in old)
        {
            if (random.NextDouble() >= 0.05)
            {
                next.Add(line);
            }
        }

        while (next.Count < count)
        {
            next.Insert(random.Next(next.Count + 1), NextEntry(random, next));
        }

        return new RealisticCidrLists([.. old], [.. next]);
    }

    private static string NextEntry(Random random, List<string> soFar)
    {
        var roll = random.NextDouble();
        if (roll < 0.02 && soFar.Count > 0)
        {
            return soFar[random.Next(soFar.Count)];
        }

        if (roll < 0.90)
        {
            return IPv4Entry(random);
        }

        return IPv6Entry(random);
    }

    private static string IPv4Entry(Random random)
    {
        // 4,096 clusters of /20: hosts land near each other, so many are adjacent.
        var cluster = (uint)(random.Next(4096) * 2654435761u) & 0xFFFFF000u;
        var host = cluster | (uint)random.Next(4096);
        if (random.NextDouble() < 0.06)
        {
            var prefix = random.Next(16, 32);
            return Format(host & (uint.MaxValue << (32 - prefix)), prefix);
        }

        return Format(host, 32);
    }

    private static string IPv6Entry(Random random)
    {
        var site = 0x2001_0db8_0000_0000UL | ((ulong)random.Next(1 << 16) << 16);
        var subnet = site | (uint)random.Next(256);
        if (random.NextDouble() < 0.3)
        {
            var prefix = random.Next(48, 65);
            var network = new UInt128(subnet & (ulong.MaxValue << (64 - prefix)), 0);
            return $"{ToIPv6(network)}/{prefix}";
        }

        var host = new UInt128(subnet, (ulong)random.NextInt64());
        return $"{ToIPv6(host)}/128";
    }

    private static string Format(uint address, int prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{prefix}");

    private static string ToIPv6(UInt128 bits)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return new System.Net.IPAddress(bytes).ToString();
    }
}
