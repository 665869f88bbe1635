using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>Prints what the generated lists look like once aggregated, so the benchmark figures can be read in context.</summary>
internal static class ListShapes
{
    public static void Print()
    {
        Console.WriteLine("| N | IPv6 entries | old: ranges | old: CIDRs in cover | added ranges | removed ranges |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var n in new[] { 2_000, 100_000, 1_000_000 })
        {
            var lists = RealisticCidrLists.Generate(n, seed: 42);
            var (old, next) = (CidrSet.Create(lists.OldCidrs), CidrSet.Create(lists.NewCidrs));
            var diff = CidrSet.Diff(old, next);
            var ipv6 = lists.OldCidrs.Count(c => c.IsIPv6);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {n:N0} | {ipv6:N0} | {old.RangeCount:N0} | {old.CidrCount:N0} | {diff.Added.RangeCount:N0} | {diff.Removed.RangeCount:N0} |"));
        }
    }
}
