using System.Buffers;

namespace Knocknoc.Entra.Sdk.Testing.Rules;

/// <summary>
/// Reads a <c>cidrAddress</c> as Entra's rules describe it, written here from those rules alone: the SDK's own
/// parser is what the emulator tests, so it must never be the emulator's judge. Host bits may be set (Graph keeps
/// <c>12.34.221.11/22</c> as sent); everything else is strict: <c>address/length</c>, nothing around it.
/// </summary>
internal static class StrictCidr
{
    private static readonly SearchValues<char> Decimal = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> Hexadecimal = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> Loose = SearchValues.Create(" \t\r\n\u00a0%");

    /// <summary>What is wrong with a range's text, or <see cref="None"/>.</summary>
    public enum Fault
    {
        /// <summary>A well-formed CIDR.</summary>
        None,

        /// <summary>Not CIDR notation: no <c>/length</c>, a malformed address, a length out of range (<see cref="GraphRules.RangeCidr"/>).</summary>
        NotCidr,

        /// <summary>CIDR in loose text: spaces, leading zeros, a zone id (<see cref="GraphRules.RangeText"/>).</summary>
        LooseText,
    }

    /// <summary>Reads <paramref name="text"/>.</summary>
    /// <param name="text">The <c>cidrAddress</c>.</param>
    /// <param name="isIPv6">Whether the address is IPv6.</param>
    /// <param name="prefixLength">The length after the slash.</param>
    /// <returns>What is wrong with it, or <see cref="Fault.None"/>.</returns>
    public static Fault Read(string text, out bool isIPv6, out int prefixLength)
    {
        isIPv6 = text.Contains(':', StringComparison.Ordinal);
        prefixLength = -1;
        if (text.AsSpan().ContainsAny(Loose))
        {
            return Fault.LooseText;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || slash != text.LastIndexOf('/'))
        {
            return Fault.NotCidr;
        }

        var length = ReadNumber(text.AsSpan(slash + 1), maxDigits: 3);
        if (length.Fault != Fault.None)
        {
            return length.Fault;
        }

        var address = text.AsSpan(0, slash);
        var addressFault = isIPv6 ? ReadIPv6(address) : ReadIPv4(address);
        if (addressFault != Fault.None)
        {
            return addressFault;
        }

        prefixLength = length.Value;
        return prefixLength <= (isIPv6 ? 128 : 32) ? Fault.None : Fault.NotCidr;
    }

    private static Fault ReadIPv4(ReadOnlySpan<char> address)
    {
        var parts = 0;
        foreach (var range in address.Split('.'))
        {
            var (value, fault) = ReadNumber(address[range], maxDigits: 3);
            if (fault != Fault.None)
            {
                return fault;
            }

            if (value > 255 || ++parts > 4)
            {
                return Fault.NotCidr;
            }
        }

        return parts == 4 ? Fault.None : Fault.NotCidr;
    }

    private static Fault ReadIPv6(ReadOnlySpan<char> address)
    {
        // At most one "::", standing for one or more zero groups; otherwise exactly eight groups (a dotted IPv4 tail counts two).
        var gap = address.IndexOf("::", StringComparison.Ordinal);
        if (gap >= 0 && address[(gap + 1)..].IndexOf("::", StringComparison.Ordinal) >= 0)
        {
            return Fault.NotCidr;
        }

        var groups = 0;
        var fault = Fault.None;
        if (gap < 0)
        {
            fault = ReadGroups(address, allowIPv4Tail: true, ref groups);
            return fault != Fault.None ? fault : groups == 8 ? Fault.None : Fault.NotCidr;
        }

        var head = address[..gap];
        var tail = address[(gap + 2)..];
        if (head.Length > 0)
        {
            fault = ReadGroups(head, allowIPv4Tail: false, ref groups);
        }

        if (fault == Fault.None && tail.Length > 0)
        {
            fault = ReadGroups(tail, allowIPv4Tail: true, ref groups);
        }

        return fault != Fault.None ? fault : groups <= 7 ? Fault.None : Fault.NotCidr;
    }

    private static Fault ReadGroups(ReadOnlySpan<char> groups, bool allowIPv4Tail, ref int count)
    {
        foreach (var range in groups.Split(':'))
        {
            var group = groups[range];
            if (allowIPv4Tail && range.End.GetOffset(groups.Length) == groups.Length && group.Contains('.'))
            {
                var fault = ReadIPv4(group);
                count += 2;
                return fault;
            }

            if (group.Length is 0 or > 4 || group.ContainsAnyExcept(Hexadecimal))
            {
                return Fault.NotCidr;
            }

            count++;
        }

        return Fault.None;
    }

    private static (int Value, Fault Fault) ReadNumber(ReadOnlySpan<char> digits, int maxDigits)
    {
        if (digits.Length == 0 || digits.Length > maxDigits || digits.ContainsAnyExcept(Decimal))
        {
            return (-1, Fault.NotCidr);
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            return (-1, Fault.LooseText);
        }

        var value = 0;
        foreach (var digit in digits)
        {
            value = (value * 10) + (digit - '0');
        }

        return (value, Fault.None);
    }
}
