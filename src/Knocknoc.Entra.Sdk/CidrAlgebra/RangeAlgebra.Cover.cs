using System.Collections.Immutable;
using System.Numerics;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Cutting ranges into their minimal exact cover of CIDRs.</content>
internal static partial class RangeAlgebra<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    /// <summary>The minimal exact cover of one range, in address order.</summary>
    public static ImmutableArray<Cidr> ToCidrs(AddressRange<T> range, bool isIPv6)
    {
        ReadOnlySpan<AddressRange<T>> ranges = [range];
        var cidrs = new Cidr[CountCidrs(ranges)];
        WriteCidrs(ranges, isIPv6, cidrs);
        return ImmutableArray.Create(cidrs);
    }

    /// <summary>How many CIDRs the minimal exact cover of <paramref name="ranges"/> has.</summary>
    public static int CountCidrs(ReadOnlySpan<AddressRange<T>> ranges)
    {
        var count = 0;
        foreach (var range in ranges)
        {
            count += range.First == range.Last ? 1 : Decompose(range, default);
        }

        return count;
    }

    /// <summary>Writes the minimal exact cover of <paramref name="ranges"/> into <paramref name="cidrs"/>; returns how many.</summary>
    public static int WriteCidrs(ReadOnlySpan<AddressRange<T>> ranges, bool isIPv6, Span<Cidr> cidrs)
    {
        var written = 0;
        Span<(T First, int PrefixLength)> blocks = stackalloc (T, int)[2 * Width];
        foreach (var range in ranges)
        {
            if (range.First == range.Last)
            {
                cidrs[written++] = new Cidr(isIPv6, UInt128.CreateTruncating(range.First), (byte)Width);
                continue;
            }

            var count = Decompose(range, blocks);
            foreach (var (first, prefixLength) in blocks[..count])
            {
                cidrs[written++] = new Cidr(isIPv6, UInt128.CreateTruncating(first), (byte)prefixLength);
            }
        }

        return written;
    }

    /// <summary>
    /// Splits one range into its fewest aligned blocks, writing them into <paramref name="output"/>
    /// when it is not empty, and returns how many there are. Greedy is optimal: from the range's start,
    /// the largest block allowed by both the start's alignment and the room left is always in a minimal cover.
    /// </summary>
    public static int Decompose(AddressRange<T> range, Span<(T First, int PrefixLength)> output)
    {
        var count = 0;
        var start = range.First;
        while (true)
        {
            if (start == T.Zero && range.Last == T.MaxValue)
            {
                Emit(output, ref count, start, 0);
                return count;
            }

            var alignment = start == T.Zero ? Width : int.CreateTruncating(T.TrailingZeroCount(start));
            var room = range.Last - start + T.One;
            var roomBits = Width - 1 - int.CreateTruncating(T.LeadingZeroCount(room));
            var blockBits = Math.Min(alignment, roomBits);
            Emit(output, ref count, start, Width - blockBits);

            var blockLast = start + ((T.One << blockBits) - T.One);
            if (blockLast == range.Last)
            {
                return count;
            }

            start = blockLast + T.One;
        }
    }

    private static void Emit(Span<(T First, int PrefixLength)> output, ref int count, T first, int prefixLength)
    {
        if (!output.IsEmpty)
        {
            output[count] = (first, prefixLength);
        }

        count++;
    }
}
