using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Microsoft.FSharp.Core;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>Seeded FsCheck generators and the one way every property here is run.</summary>
internal static class CidrGenerators
{
    /// <summary>The fixed seed: a failure replays identically on every machine.</summary>
    public const ulong Seed = 0x20261122;

    /// <summary>
    /// Small universes that sit where bugs live: the bottom and top of each address space (overflow),
    /// an IPv4 universe straddling an octet boundary and an IPv6 one straddling a /64 boundary.
    /// </summary>
    private static readonly ModelAddress[] Universes =
    [
        new(false, 0),
        new(false, 0x0A00_0080),
        new(false, 0xFFFF_FF00),
        new(true, 0),
        new(true, (new UInt128(0x2001_0db8_0000_0001, 0) | ulong.MaxValue) - 0x7F),
        new(true, UInt128.MaxValue - 0xFF),
    ];

    /// <summary>Mostly hosts, some small blocks, all inside the universes so the naive model can enumerate them.</summary>
    public static Gen<Cidr> SmallCidr { get; } =
        from universe in Gen.Elements(Universes)
        from offset in Gen.Choose(0, 255)
        from hostBits in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(0, 8)))
        select Block(universe, offset, hostBits);

    public static Gen<Cidr[]> SmallCidrList { get; } = Gen.ArrayOf(SmallCidr);

    /// <summary>A range inside one universe, from a single address to the whole universe, aligned or not.</summary>
    public static Gen<IPAddressRange> SmallRange { get; } =
        from universe in Gen.Elements(Universes)
        from a in Gen.Choose(0, 255)
        from b in Gen.Choose(0, 255)
        select new IPAddressRange(
            universe.IsIPv6,
            (universe.Bits + (UInt128)Math.Min(a, b)) & Width(universe),
            (universe.Bits + (UInt128)Math.Max(a, b)) & Width(universe));

    public static Gen<ModelAddress> Probe { get; } =
        from universe in Gen.Elements(Universes)
        from offset in Gen.Choose(-16, 271)
        select universe with { Bits = unchecked(universe.Bits + (UInt128)(Int128)offset) & Width(universe) };

    /// <summary>Any network at all: groups of zero and non-zero 16-bit words exercise IPv6 zero compression.</summary>
    public static Gen<Cidr> AnyCidr { get; } =
        from isIPv6 in Gen.Elements(false, true)
        from words in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(0, 0xFFFF))), 8)
        from mapped in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from prefix in Gen.Choose(0, 128)
        select Network(isIPv6, words, mapped, prefix);

    /// <summary>
    /// Text near a canonical IPv4 CIDR, for the quick paths that must take exactly the canonical ones: dotted-quad-like
    /// text of every length around 9-18, truncated, with separators doubled or missing, and canonical text itself.
    /// </summary>
    public static Gen<string> NearIPv4Text { get; } =
        Gen.ArrayOf(Gen.Elements("0123456789./ ".ToCharArray())).Select(chars => new string(chars))
            .Or(AnyCidr.Where(c => c.IsIPv4).SelectMany(c => Gen.Choose(0, 40), (c, cut) => Mutate(c.ToString(), cut)))
            .Or(AnyCidr.Where(c => c.IsIPv4).SelectMany(c => Gen.Choose(1, 18), (c, keep) => c.ToString()[..Math.Min(keep, c.ToString().Length)]));

    /// <summary>
    /// Text near an IPv6 CIDR: compressed, uncompressed and upper-case forms, cut short, with colons and zeros inserted,
    /// host bits set, and text made of the characters IPv6 is written with.
    /// </summary>
    public static Gen<string> NearIPv6Text { get; } = NearIPv6();

    /// <summary>Canonical IPv4 CIDR text of every length, 9 to 18 characters: hosts and networks with octets of 1-3 digits.</summary>
    public static Gen<string> CanonicalIPv4Text { get; } =
        from octets in Gen.ArrayOf(Gen.Frequency((2, Gen.Choose(0, 255)), (1, Gen.Elements(0, 9, 10, 99, 100, 255))), 4)
        from prefix in Gen.Frequency((2, Gen.Constant(32)), (2, Gen.Choose(0, 32)), (1, Gen.Elements(0, 1, 8, 9, 10, 16, 24, 31)))
        let address = (uint)((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3])
        select new Cidr(address & (prefix == 0 ? 0 : uint.MaxValue << (32 - prefix)), (byte)prefix).ToString();

    /// <summary>Garbles text at <paramref name="position"/>: a character removed, or a colon or zero inserted.</summary>
    public static string Mutate(string text, int position)
    {
        position %= text.Length + 1;
        return (position % 3) switch
        {
            0 => text.Remove(Math.Min(position, text.Length - 1), 1),
            1 => text.Insert(position, ":"),
            _ => text.Insert(position, "0"),
        };
    }

    public static void Check(Property property, int maxTest = 2000)
    {
        var replay = new Replay(new Rnd(Seed), FSharpOption<int>.None);
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(replay));
        FsCheck.Check.One(config, property);
    }

    private static UInt128 Width(ModelAddress universe) => universe.IsIPv6 ? UInt128.MaxValue : uint.MaxValue;

    private static Cidr Block(ModelAddress universe, int offset, int hostBits)
    {
        var address = (universe.Bits + (UInt128)offset) & Width(universe);
        var first = address & ~((UInt128.One << hostBits) - 1);
        return new Cidr(universe.IsIPv6, first, (byte)((universe.IsIPv6 ? 128 : 32) - hostBits));
    }

    private static Cidr Network(bool isIPv6, int[] words, bool mapped, int prefix)
    {
        UInt128 bits = 0;
        foreach (var word in words)
        {
            bits = (bits << 16) | (uint)word;
        }

        if (!isIPv6)
        {
            bits &= uint.MaxValue;
            prefix %= 33;
        }
        else if (mapped)
        {
            bits = (bits & uint.MaxValue) | ((UInt128)0xFFFF << 32);
        }

        return new Cidr(isIPv6, bits & Cidr.NetworkMask(isIPv6, prefix), (byte)prefix);
    }

    private static Gen<string> NearIPv6()
    {
        var uncompressed = AnyCidr.Where(c => c.IsIPv6).SelectMany(c => Gen.Elements("x4", "X", "x"), (c, format) =>
            string.Join(':', Enumerable.Range(0, 8).Select(i => ((ushort)(c.Bits >> (112 - (16 * i)))).ToString(format, System.Globalization.CultureInfo.InvariantCulture))) + $"/{c.PrefixLength}");
        return Gen.ArrayOf(Gen.Elements("0123456789abcdefABCDEF:/.".ToCharArray())).Select(chars => new string(chars))
            .Or(AnyCidr.Where(c => c.IsIPv6).SelectMany(c => Gen.Choose(0, 60), (c, cut) => Mutate(c.ToString(), cut)))
            .Or(uncompressed.SelectMany(t => Gen.Choose(0, 60), Mutate))
            .Or(uncompressed)
            .Or(AnyCidr.Where(c => c.IsIPv6).SelectMany(c => Gen.Choose(1, 43), (c, keep) => c.ToString()[..Math.Min(keep, c.ToString().Length)]))
            .Or(AnyCidr.Where(c => c.IsIPv6 && c.PrefixLength > 0).Select(c => $"{c.BaseAddress}/{c.PrefixLength - 1}"));
    }
}
