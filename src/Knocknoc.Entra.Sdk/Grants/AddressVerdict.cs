using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// What the registries say about one host: its category, the block that decided it and, for a transition address
/// refused for what it embeds, that embedded address and its own block. Allocation-free.
/// </summary>
/// <param name="Category">The category.</param>
/// <param name="Block">The most specific block holding the host; null for a public IPv4 address in none.</param>
/// <param name="EmbeddedRole">For <see cref="AddressCategory.EmbeddedNonPublic"/>: which embedded address ("server", "client", or null).</param>
/// <param name="Embedded">For <see cref="AddressCategory.EmbeddedNonPublic"/>: the embedded IPv4 address that is not public.</param>
/// <param name="EmbeddedVerdictBlock">For <see cref="AddressCategory.EmbeddedNonPublic"/>: the block of that address.</param>
/// <param name="EmbeddedCategory">For <see cref="AddressCategory.EmbeddedNonPublic"/>: the category of that address.</param>
internal readonly record struct AddressVerdict(
    AddressCategory Category,
    AddressBlock? Block,
    string? EmbeddedRole = null,
    uint Embedded = 0,
    AddressBlock? EmbeddedVerdictBlock = null,
    AddressCategory EmbeddedCategory = AddressCategory.Unspecified)
{
    /// <summary>Judges <paramref name="host"/>; an IPv4-mapped IPv6 host is judged as the IPv4 address it stands for.</summary>
    public static AddressVerdict Of(Cidr host)
    {
        host = MapIPv4(host);
        var block = SpecialPurposeAddresses.Find(host);
        if (block is null)
        {
            return new(AddressCategory.Public, null);
        }

        if (!block.GloballyReachable || block.Embeds == EmbeddedIPv4.None)
        {
            return new(block.Category, block);
        }

        // A transition address reaches what its IPv4 address reaches: 6to4 around 10.0.0.1 is a private network.
        var bits = host.Bits;
        return block.Embeds switch
        {
            EmbeddedIPv4.SixToFour => Embedding(block, null, (uint)(bits >> 80)) ?? new(AddressCategory.Public, block),
            EmbeddedIPv4.Teredo => Embedding(block, "server", (uint)(bits >> 64))
                ?? Embedding(block, "client", ~(uint)bits)
                ?? new(AddressCategory.Public, block),
            _ => Embedding(block, null, (uint)bits) ?? new(AddressCategory.Public, block),
        };
    }

    /// <summary>The host as IPv4 when it is an IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>), else unchanged.</summary>
    public static Cidr MapIPv4(Cidr host) =>
        host.IsIPv6 && host.Bits >> 32 == 0xFFFF ? new Cidr(isIPv6: false, (uint)host.Bits, 32) : host;

    private static AddressVerdict? Embedding(AddressBlock block, string? role, uint address)
    {
        var inner = Of(new Cidr(isIPv6: false, address, 32));
        return inner.Category == AddressCategory.Public
            ? null
            : new(AddressCategory.EmbeddedNonPublic, block, role, address, inner.Block, inner.Category);
    }
}
