using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <content>The quick path for a line of a list that is a canonical IPv4 CIDR, read with its line end.</content>
internal static partial class CidrParser
{
    /// <summary>
    /// Bytes the line reader may look at from a line's start: the longest line it accepts is 20 bytes
    /// (<c>255.255.255.255/32\r\n</c>); 32 leaves the vector load and every scalar read below in bounds.
    /// </summary>
    internal const int QuickLineWindow = 32;

    /// <summary>Weights of an octet's first, second and third digit by its length (0-3): 1 = d, 2 = 10d+d, 3 = 100d+10d+d.</summary>
    private static ReadOnlySpan<byte> FirstDigitWeight => [0, 1, 10, 100];

    private static ReadOnlySpan<byte> SecondDigitWeight => [0, 0, 1, 10];

    private static ReadOnlySpan<byte> ThirdDigitWeight => [0, 0, 0, 1];

    /// <summary>
    /// Reads one line <c>a.b.c.d/n</c> (canonical: no leading zeros, no host bits) ended by <c>\n</c> or
    /// <c>\r\n</c> from the first bytes of <paramref name="window"/>, which the line may end well before.
    /// Where the digits and dots are is found for the whole address at once (one 16-byte compare per
    /// separator), and each octet is then read by weights chosen by its length: no branch per digit, so
    /// octets of random lengths cost no mispredicted branches, which is what a digit-by-digit reader spends
    /// most of its time on. Declines (returns false) anything else, for the general parser to decide.
    /// </summary>
    internal static bool TryReadIPv4Line(ReadOnlySpan<byte> window, out Cidr result, out int lineLength)
    {
        result = default;
        lineLength = 0;
        ref var start = ref MemoryMarshal.GetReference(window);
        var bytes = Vector128.LoadUnsafe(ref start);

        // The address is everything before the first slash in the first 16 bytes: digits and exactly three dots.
        var slashes = Vector128.Equals(bytes, Vector128.Create((byte)'/')).ExtractMostSignificantBits();
        var slash = BitOperations.TrailingZeroCount(slashes | 0x1_0000);
        var inAddress = (1u << slash) - 1;
        var dots = Vector128.Equals(bytes, Vector128.Create((byte)'.')).ExtractMostSignificantBits() & inAddress;
        var notDigits = Vector128.GreaterThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)9)).ExtractMostSignificantBits() & inAddress;
        if (slash == 16 || notDigits != dots || BitOperations.PopCount(dots) != 3)
        {
            return false;
        }

        var firstDot = BitOperations.TrailingZeroCount(dots);
        dots &= dots - 1;
        var secondDot = BitOperations.TrailingZeroCount(dots);
        var thirdDot = BitOperations.TrailingZeroCount(dots & (dots - 1));
        var valid = true;
        var address = (Octet(ref start, 0, firstDot, ref valid) << 24)
            | (Octet(ref start, firstDot + 1, secondDot, ref valid) << 16)
            | (Octet(ref start, secondDot + 1, thirdDot, ref valid) << 8)
            | Octet(ref start, thirdDot + 1, slash, ref valid);

        // The prefix length: one digit, or two without a leading zero, then the line's end.
        var first = (uint)(Unsafe.Add(ref start, slash + 1) - '0');
        var second = (uint)(Unsafe.Add(ref start, slash + 2) - '0');
        var twoDigits = second <= 9;
        var prefixLength = twoDigits ? (first * 10) + second : first;
        var end = slash + (twoDigits ? 3 : 2);
        var lineEnd = Unsafe.Add(ref start, end) == '\n' ? end + 1
            : Unsafe.Add(ref start, end) == '\r' && Unsafe.Add(ref start, end + 1) == '\n' ? end + 2
            : 0;
        if (!valid || first > 9 || (twoDigits && first == 0) || prefixLength > 32 || lineEnd == 0
            || (address & (uint)(0xFFFF_FFFFUL >> (int)prefixLength)) != 0)
        {
            return false;
        }

        result = new Cidr(address, (byte)prefixLength);
        lineLength = lineEnd;
        return true;
    }

    /// <summary>The octet between <paramref name="from"/> and <paramref name="to"/> (a dot or the slash); clears <paramref name="valid"/> unless it is 1-3 digits, no leading zero, at most 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Octet(ref byte start, int from, int to, ref bool valid)
    {
        var length = to - from;
        var weights = length & 3;
        var first = (uint)(Unsafe.Add(ref start, from) - '0');
        var octet = (first * Unsafe.Add(ref MemoryMarshal.GetReference(FirstDigitWeight), weights))
            + ((uint)(Unsafe.Add(ref start, from + 1) - '0') * Unsafe.Add(ref MemoryMarshal.GetReference(SecondDigitWeight), weights))
            + ((uint)(Unsafe.Add(ref start, from + 2) - '0') * Unsafe.Add(ref MemoryMarshal.GetReference(ThirdDigitWeight), weights));
        valid &= (uint)(length - 1) < 3 & (first != 0 | length == 1) & octet <= 255;
        return octet;
    }
}
