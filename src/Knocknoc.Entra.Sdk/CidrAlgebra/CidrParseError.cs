namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>Why a text was not a CIDR; turned into a <see cref="FormatException"/> message by <see cref="Cidr.Parse(string)"/>.</summary>
internal enum CidrParseError : byte
{
    None,
    Empty,
    TooLong,
    SurroundingWhitespace,
    MissingPrefixLength,
    InvalidAddress,
    InvalidPrefixLength,
    PrefixLengthOutOfRange,
    HostBitsSet,
    InvalidUtf8,
}

internal static class CidrParseErrorText
{
    public static string Describe(CidrParseError error, bool isIPv6) => error switch
    {
        CidrParseError.Empty => "the text is empty",
        CidrParseError.TooLong => $"the text is longer than {CidrParser.MaxInputLength} characters",
        CidrParseError.SurroundingWhitespace => "it has surrounding whitespace (use the lenient reader for text typed by people)",
        CidrParseError.MissingPrefixLength => "it has no '/prefix-length' (a single host is /32 for IPv4, /128 for IPv6)",
        CidrParseError.InvalidAddress => "the address part is not an IPv4 or IPv6 address",
        CidrParseError.InvalidPrefixLength => "the prefix length is not a decimal number without leading zeros",
        CidrParseError.PrefixLengthOutOfRange => isIPv6
            ? "the prefix length is out of range for IPv6 (0-128)"
            : "the prefix length is out of range for IPv4 (0-32)",
        CidrParseError.HostBitsSet => "bits are set after the prefix length (use the lenient reader to clear them)",
        CidrParseError.InvalidUtf8 => "the bytes are not valid UTF-8",
        // Stryker disable once String : unreachable: every error but None has its own text, and None is never described
        _ => "the text is not a CIDR",
    };
}
