using System.Numerics;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>Set-against-set overlap and the complement: netipx's <c>IPSet.Overlaps</c> and <c>Complement</c>.</content>
internal static partial class RangeAlgebra<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    /// <summary>Whether two normalised lists share an address: one merge that stops at the first shared one.</summary>
    public static bool Overlaps(ReadOnlySpan<AddressRange<T>> a, ReadOnlySpan<AddressRange<T>> b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i].Last < b[j].First)
            {
                i++;
            }
            else if (b[j].Last < a[i].First)
            {
                j++;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every address of the family that is not in <paramref name="ranges"/>.</summary>
    public static AddressRange<T>[] Complement(ReadOnlySpan<AddressRange<T>> ranges) =>
        Except([new AddressRange<T>(T.Zero, T.MaxValue)], ranges);
}
