using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// Set algebra over normalised range lists of one address family: sorted by first address, disjoint,
/// and never adjacent (the netipx invariant), so that each set has exactly one representation and
/// equality is a memory comparison. Every operation is one linear merge.
/// </summary>
/// <remarks>
/// Written once for both families: the JIT specialises it for <see cref="uint"/> and <see cref="UInt128"/>.
/// Results are built in a pooled scratch buffer and copied out at their exact size, so an operation
/// allocates nothing but its result.
/// </remarks>
internal static partial class RangeAlgebra<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    /// <summary>The number of bits in an address of this family.</summary>
    public static readonly int Width = System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8;

    /// <summary>Sorts and merges <paramref name="items"/> in place; returns how many normalised ranges lead the span.</summary>
    public static int Normalize(Span<AddressRange<T>> items)
    {
        if (items.Length <= 1)
        {
            return items.Length;
        }

        RadixSort.SortByFirst(items);
        var written = 0;
        var current = items[0];
        for (var i = 1; i < items.Length; i++)
        {
            // Writing behind the read position is safe: written never passes i.
            Coalesce(items, ref written, ref current, items[i]);
        }

        items[written++] = current;
        return written;
    }

    /// <summary>
    /// Normalises a builder's list in place and returns the set's ranges. The list keeps holding the same
    /// addresses, so it stays a valid builder state and a second call is cheap.
    /// </summary>
    public static AddressRange<T>[] Normalize(List<AddressRange<T>> ranges)
    {
        var count = Normalize(CollectionsMarshal.AsSpan(ranges));
        ranges.RemoveRange(count, ranges.Count - count);
        return ranges.ToArray();
    }

    public static AddressRange<T>[] Union(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return (a.IsEmpty ? b : a).ToArray();
        }

        var scratch = ArrayPool<AddressRange<T>>.Shared.Rent(a.Length + b.Length);
        try
        {
            var output = scratch.AsSpan();
            var written = 0;
            int i = 0, j = 0;
            var current = a[0].First <= b[0].First ? a[i++] : b[j++];
            while (i < a.Length || j < b.Length)
            {
                var next = j >= b.Length || (i < a.Length && a[i].First <= b[j].First) ? a[i++] : b[j++];
                Coalesce(output, ref written, ref current, next);
            }

            output[written++] = current;
            return output[..written].ToArray();
        }
        finally
        {
            // Stryker disable once Statement : only hands the buffer back to the pool; results do not depend on it
            ArrayPool<AddressRange<T>>.Shared.Return(scratch);
        }
    }

    public static AddressRange<T>[] Intersect(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b)
    {
        // Stryker disable once Logical,Block : with an empty operand the merge loop does not run and also returns an empty result
        if (a.IsEmpty || b.IsEmpty)
        {
            return [];
        }

        var scratch = ArrayPool<AddressRange<T>>.Shared.Rent(a.Length + b.Length);
        try
        {
            var output = scratch.AsSpan();
            var written = 0;
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                var first = T.Max(a[i].First, b[j].First);
                var last = T.Min(a[i].Last, b[j].Last);
                if (first <= last)
                {
                    output[written++] = new AddressRange<T>(first, last);
                }

                if (a[i].Last < b[j].Last)
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }

            return output[..written].ToArray();
        }
        finally
        {
            // Stryker disable once Statement : only hands the buffer back to the pool; results do not depend on it
            ArrayPool<AddressRange<T>>.Shared.Return(scratch);
        }
    }

    public static AddressRange<T>[] Except(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b)
    {
        // Stryker disable once Logical,Block : with an empty operand the general loop copies a (or nothing), the same result
        if (a.IsEmpty || b.IsEmpty)
        {
            return a.ToArray();
        }

        var scratch = ArrayPool<AddressRange<T>>.Shared.Rent(a.Length + b.Length);
        try
        {
            var written = Except(a, b, scratch);
            return scratch.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<AddressRange<T>>.Shared.Return(scratch);
        }
    }

    private static int Except(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b, Span<AddressRange<T>> output)
    {
        var written = 0;
        var j = 0;
        foreach (var range in a)
        {
            while (j < b.Length && b[j].Last < range.First)
            {
                j++;
            }

            var start = range.First;
            var covered = false;
            var k = j;
            for (; k < b.Length && b[k].First <= range.Last; k++)
            {
                if (b[k].First > start)
                {
                    output[written++] = new AddressRange<T>(start, b[k].First - T.One);
                }

                if (b[k].Last >= range.Last)
                {
                    covered = true;
                    break;
                }

                start = b[k].Last + T.One;
            }

            if (!covered)
            {
                output[written++] = new AddressRange<T>(start, range.Last);
            }

            // b[k] may reach into the next range of a, so the scan resumes there rather than past it.
            j = k;
        }

        return written;
    }

    public static bool Contains(ReadOnlySpan<AddressRange<T>> ranges, T first, T last)
    {
        // The last range starting at or before `first` is the only one that can hold it.
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            // Stryker disable once Bitwise : low + high is never negative, so the signed and unsigned shifts agree
            var middle = (int)((uint)(low + high) >> 1);
            if (ranges[middle].First <= first)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return high >= 0 && last <= ranges[high].Last;
    }

    public static bool Overlaps(ReadOnlySpan<AddressRange<T>> ranges, T first, T last)
    {
        // The ranges are sorted and disjoint: only the last one starting at or before `last` can reach back to `first`.
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            // Stryker disable once Bitwise : low + high is never negative, so the signed and unsigned shifts agree
            var middle = (int)((uint)(low + high) >> 1);
            if (ranges[middle].First <= last)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return high >= 0 && ranges[high].Last >= first;
    }

    public static bool IsSubset(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b)
    {
        var j = 0;
        foreach (var range in a)
        {
            while (j < b.Length && b[j].Last < range.First)
            {
                j++;
            }

            // b is normalised, so a range of a is covered by one range of b or not at all.
            if (j == b.Length || b[j].First > range.First || b[j].Last < range.Last)
            {
                return false;
            }
        }

        return true;
    }

    public static bool SetEquals(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b) =>
        MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>
    /// The one merge rule: <paramref name="next"/> (starting at or after <paramref name="current"/>) extends the
    /// current range when it overlaps or abuts it; otherwise the current range is complete and written out.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Coalesce(Span<AddressRange<T>> output, ref int written, ref AddressRange<T> current, AddressRange<T> next)
    {
        if (Touches(current, next))
        {
            if (next.Last > current.Last)
            {
                current = current with { Last = next.Last };
            }
        }
        else
        {
            output[written++] = current;
            current = next;
        }
    }

    /// <summary>Whether <paramref name="next"/>, which starts at or after <paramref name="current"/>, overlaps or abuts it.</summary>
    private static bool Touches(AddressRange<T> current, AddressRange<T> next) =>
        next.First == T.Zero || next.First - T.One <= current.Last;
}
