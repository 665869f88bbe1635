using System.Runtime.CompilerServices;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>
/// Allocation, not time: a diff of two built sets allocates its result and nothing else, so no scratch
/// proportional to the input. Measured on this thread after a warm-up, which fills the array pool.
/// </summary>
public class CidrSetAllocationTests
{
    [Test]
    public void Diff_of_built_sets_allocates_only_its_result()
    {
        var random = new Random(11);
        var from = RandomHosts(random, 20_000);
        var to = from.Except(RandomHosts(random, 2_000)).Union(RandomHosts(random, 2_000));
        CidrSet.Diff(from, to);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var diff = CidrSet.Diff(from, to);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The four result arrays (8 bytes per IPv4 range, 32 per IPv6 range), plus object headers.
        var payload = (8L * (diff.Added.IPv4Ranges.Length + diff.Removed.IPv4Ranges.Length))
            + (Unsafe.SizeOf<AddressRange<UInt128>>() * (diff.Added.IPv6Ranges.Length + diff.Removed.IPv6Ranges.Length));
        Assert.That(payload, Is.GreaterThan(10_000), "the diff is large enough for scratch to show");
        Assert.That(allocated, Is.InRange(payload, payload + 512));
    }

    private static CidrSet RandomHosts(Random random, int count)
    {
        var builder = CidrSet.CreateBuilder();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            builder.Add(i % 10 == 0 ? Cidr.Host(new System.Net.IPAddress(bytes)) : Cidr.Host(new System.Net.IPAddress(bytes[..4])));
        }

        return builder.ToSet();
    }
}
