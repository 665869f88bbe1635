using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>One address, as the naive model holds it.</summary>
internal readonly record struct ModelAddress(bool IsIPv6, UInt128 Bits);

/// <summary>
/// The naive model the algebra is checked against: a set is the explicit set of its addresses. It only works
/// on small networks, which is why the generators stay inside a few 256-address universes.
/// </summary>
internal static class AddressModel
{
    private const int MaxBlockBits = 12;

    public static HashSet<ModelAddress> Expand(IEnumerable<Cidr> cidrs)
    {
        var addresses = new HashSet<ModelAddress>();
        foreach (var cidr in cidrs)
        {
            var hostBits = (cidr.IsIPv6 ? 128 : 32) - cidr.PrefixLength;
            if (hostBits > MaxBlockBits)
            {
                throw new InvalidOperationException($"{cidr} is too large for the naive model.");
            }

            for (UInt128 i = 0; i < (UInt128.One << hostBits); i++)
            {
                addresses.Add(new ModelAddress(cidr.IsIPv6, cidr.Bits + i));
            }
        }

        return addresses;
    }

    public static HashSet<ModelAddress> Expand(IPAddressRange range)
    {
        var addresses = new HashSet<ModelAddress>();
        for (var bits = range.FirstBits; ; bits++)
        {
            addresses.Add(new ModelAddress(range.IsIPv6, bits));
            if (bits == range.LastBits)
            {
                return addresses;
            }
        }
    }

    public static HashSet<ModelAddress> Members(CidrSet set) => Expand(set.ToCidrs());

    /// <summary>
    /// The maximal aligned blocks inside the set: they are disjoint, cover it exactly, and every exact cover
    /// must spend at least one CIDR on each of them, so they are the unique minimal exact cover.
    /// </summary>
    public static HashSet<Cidr> MaximalBlocks(HashSet<ModelAddress> addresses)
    {
        // full[k] holds the aligned blocks of 2^k addresses that the set fills completely.
        var full = new List<HashSet<ModelAddress>>();
        for (var hostBits = 0; hostBits <= MaxBlockBits + 1; hostBits++)
        {
            var size = UInt128.One << hostBits;
            full.Add(addresses
                .GroupBy(a => a with { Bits = a.Bits & ~(size - 1) })
                .Where(g => (UInt128)g.Count() == size)
                .Select(g => g.Key)
                .ToHashSet());
        }

        var blocks = new HashSet<Cidr>();
        for (var hostBits = 0; hostBits <= MaxBlockBits; hostBits++)
        {
            var parentSize = UInt128.One << (hostBits + 1);
            foreach (var block in full[hostBits])
            {
                if (!full[hostBits + 1].Contains(block with { Bits = block.Bits & ~(parentSize - 1) }))
                {
                    blocks.Add(new Cidr(block.IsIPv6, block.Bits, (byte)((block.IsIPv6 ? 128 : 32) - hostBits)));
                }
            }
        }

        return blocks;
    }
}
