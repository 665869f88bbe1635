using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>
/// Sorts ranges by their first address with a least-significant-byte-first radix sort.
/// A comparison sort of a million ranges costs more than all the rest of aggregation together;
/// this is linear, and skips every byte position where all keys agree (IPv6 /64 prefixes share
/// their low eight bytes, clustered IPv4 hosts their high ones).
/// </summary>
internal static partial class RadixSort
{
    private const int InsertionSortThreshold = 32;

    public static void SortByFirst<T>(Span<AddressRange<T>> items)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        // Stryker disable once Equality,Boolean : both algorithms sort correctly; the threshold only picks the faster one
        if (items.Length <= InsertionSortThreshold)
        {
            InsertionSort(items);
            // Stryker disable once Statement : radix-sorting the span the insertion sort just sorted leaves it as it is
            return;
        }

        if (typeof(T) == typeof(uint))
        {
            SortIPv4(MemoryMarshal.Cast<AddressRange<T>, AddressRange<uint>>(items));
            // Stryker disable once Statement : radix-sorting again what SortIPv4 just sorted leaves it as it is
            return;
        }

        var keyBytes = Unsafe.SizeOf<T>();
        Span<int> counts = stackalloc int[keyBytes * 256];
        counts.Clear();
        foreach (ref readonly var item in items)
        {
            var key = item.First;
            for (var b = 0; b < keyBytes; b++)
            {
                counts[(b << 8) | KeyByte(ref key, b)]++;
            }
        }

        var rented = ArrayPool<AddressRange<T>>.Shared.Rent(items.Length);
        try
        {
            var source = items;
            var target = rented.AsSpan(0, items.Length);
            for (var b = 0; b < keyBytes; b++)
            {
                var bucket = counts.Slice(b << 8, 256);
                var sample = items[0].First;
                // Stryker disable once Block : a pass over a byte all keys share is a stable identity permutation
                if (bucket[KeyByte(ref sample, b)] == items.Length)
                {
                    // Stryker disable once Statement : a pass over a byte all keys share is a stable identity permutation
                    continue;
                }

                var offset = 0;
                for (var i = 0; i < 256; i++)
                {
                    var count = bucket[i];
                    bucket[i] = offset;
                    offset += count;
                }

                foreach (ref readonly var item in source)
                {
                    var key = item.First;
                    target[bucket[KeyByte(ref key, b)]++] = item;
                }

                var swap = source;
                source = target;
                target = swap;
            }

            if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(items)))
            {
                source.CopyTo(items);
            }
        }
        finally
        {
            // Stryker disable once Statement : only hands the buffer back to the pool; results do not depend on it
            ArrayPool<AddressRange<T>>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int KeyByte<T>(ref T key, int index)
        where T : unmanaged
    {
        // uint and UInt128 keep their least significant byte first on little-endian machines.
        // Stryker disable once Conditional,Arithmetic : the big-endian branch cannot run on the little-endian machines the tests run on
        return BitConverter.IsLittleEndian
            ? Unsafe.Add(ref Unsafe.As<T, byte>(ref key), index)
            : Unsafe.Add(ref Unsafe.As<T, byte>(ref key), Unsafe.SizeOf<T>() - 1 - index);
    }

    private static void InsertionSort<T>(Span<AddressRange<T>> items)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var j = i - 1;
            while (j >= 0 && items[j].First > item.First)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }
}
