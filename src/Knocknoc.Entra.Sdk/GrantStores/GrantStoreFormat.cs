using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Knocknoc.Entra.Sdk;

/// <summary>How an id escapes, or why it cannot be stored.</summary>
internal enum GrantIdEscape
{
    Escaped,
    Empty,
    InvalidUtf16,
    TooLong,
}

/// <summary>
/// The pieces of <see cref="FileGrantStore"/>'s line format shared by the writer and the reader: keywords, limits,
/// the per-line checksum, and the escaping of grant ids. A line is <c>keyword field… checksum</c>, fields
/// separated by one space (a tab is read too), the checksum being FNV-1a 32-bit of everything before its
/// separator, as 8 hex digits. Per-line checksums keep damage local: one bad line loses one record.
/// </summary>
internal static class GrantStoreFormat
{
    /// <summary>The first word of the header line: a file without it is not a grant store.</summary>
    public const string Magic = "knocknoc-entra-grants";

    /// <summary>The only version this code reads and writes.</summary>
    public const string Version = "1";

    /// <summary>
    /// The longest line, without its line feed: bounds what the reader buffers for one line, so a hostile file
    /// without line feeds cannot take memory.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>The longest escaped grant id, leaving room in a line for the other fields.</summary>
    public const int MaxEscapedIdLength = MaxLineLength - 1024;

    /// <summary>The largest file read: a store of that size already holds millions of grants, far beyond any location's capacity.</summary>
    public const long MaxFileLength = 256L * 1024 * 1024;

    /// <summary>At most this many problems are listed; the rest are counted, so a garbage file cannot flood a log.</summary>
    public const int MaxProblems = 100;

    /// <summary>The length of the checksum field.</summary>
    public const int ChecksumLength = 8;

    public static ReadOnlySpan<byte> GrantKeyword => "grant"u8;

    public static ReadOnlySpan<byte> OwnedKeyword => "owned"u8;

    public static ReadOnlySpan<byte> ForeignKeyword => "foreign"u8;

    public static ReadOnlySpan<byte> PreservedKeyword => "preserved"u8;

    public static ReadOnlySpan<byte> WrittenKeyword => "written"u8;

    public static ReadOnlySpan<byte> LastWriteKeyword => "lastwrite"u8;

    public static ReadOnlySpan<byte> EndKeyword => "end"u8;

    public static ReadOnlySpan<byte> MagicUtf8 => "knocknoc-entra-grants"u8;

    public static ReadOnlySpan<byte> VersionUtf8 => "1"u8;

    /// <summary>The earliest and latest instants a <see cref="DateTimeOffset"/> holds, in Unix milliseconds.</summary>
    public static long MinUnixMilliseconds { get; } = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    /// <inheritdoc cref="MinUnixMilliseconds"/>
    public static long MaxUnixMilliseconds { get; } = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static readonly SearchValues<byte> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    private static ReadOnlySpan<byte> HexUpper => "0123456789ABCDEF"u8;

    private static ReadOnlySpan<byte> HexLower => "0123456789abcdef"u8;

    /// <summary>FNV-1a 32-bit: any single changed byte changes it, and it costs a multiply per byte.</summary>
    public static uint Checksum(ReadOnlySpan<byte> content)
    {
        var hash = 2166136261u;
        foreach (var b in content)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }

    /// <summary>Writes <paramref name="checksum"/> as 8 lower-case hex digits.</summary>
    public static void WriteChecksum(uint checksum, Span<byte> destination)
    {
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = HexLower[(int)(checksum & 0xF)];
            checksum >>= 4;
        }
    }

    /// <summary>Reads exactly 8 hex digits (either case).</summary>
    public static bool TryReadChecksum(ReadOnlySpan<byte> text, out uint checksum)
    {
        checksum = 0;
        if (text.Length != ChecksumLength)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = HexValue(b);
            if (digit < 0)
            {
                return false;
            }

            checksum = (checksum << 4) | (uint)digit;
        }

        return true;
    }

    /// <summary>Writes a signed number of milliseconds in invariant decimal.</summary>
    public static int WriteInt64(long value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out var written)
            ? written
            : throw new InvalidOperationException("The line buffer is too small for a number.");

    /// <summary>Reads a whole field as a signed decimal number, nothing else in it.</summary>
    public static bool TryReadInt64(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && text.Length > 0 && text[0] != (byte)'+';

    /// <summary>
    /// Percent-encodes <paramref name="id"/> as <see cref="Uri.EscapeDataString(string)"/> does (unreserved ASCII kept,
    /// every other UTF-8 byte as <c>%XX</c>), so no space, tab or line break can reach the line. Lone surrogates have
    /// no UTF-8 form and an empty id no field, so both are refused rather than stored altered.
    /// </summary>
    public static GrantIdEscape TryEscapeId(string id, Span<byte> destination, out int written)
    {
        written = 0;
        if (id.Length == 0)
        {
            return GrantIdEscape.Empty;
        }

        Span<byte> utf8 = stackalloc byte[4];
        var chars = id.AsSpan();
        while (!chars.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(chars, out var rune, out var used) != OperationStatus.Done)
            {
                return GrantIdEscape.InvalidUtf16;
            }

            chars = chars[used..];
            var length = rune.EncodeToUtf8(utf8);
            if (length == 1 && Unreserved.Contains(utf8[0]))
            {
                if (written + 1 > destination.Length)
                {
                    return GrantIdEscape.TooLong;
                }

                destination[written++] = utf8[0];
                continue;
            }

            if (written + (3 * length) > destination.Length)
            {
                return GrantIdEscape.TooLong;
            }

            foreach (var b in utf8[..length])
            {
                destination[written++] = (byte)'%';
                destination[written++] = HexUpper[b >> 4];
                destination[written++] = HexUpper[b & 0xF];
            }
        }

        return GrantIdEscape.Escaped;
    }

    /// <summary>
    /// Reverses <see cref="TryEscapeId"/>, strictly: only unreserved characters and <c>%XX</c> escapes, and the
    /// decoded bytes must be valid UTF-8, so a damaged id is reported rather than turned into another id.
    /// </summary>
    public static bool TryUnescapeId(ReadOnlySpan<byte> escaped, out string id)
    {
        id = string.Empty;
        if (escaped.IsEmpty)
        {
            return false;
        }

        // Most ids are plain (a GUID, a session key): no copy needed.
        if (!escaped.ContainsAnyExcept(Unreserved))
        {
            id = Encoding.ASCII.GetString(escaped);
            return true;
        }

        var rented = ArrayPool<byte>.Shared.Rent(escaped.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < escaped.Length; i++)
            {
                var b = escaped[i];
                if (b == (byte)'%')
                {
                    if (i + 2 >= escaped.Length)
                    {
                        return false;
                    }

                    var high = HexValue(escaped[i + 1]);
                    var low = HexValue(escaped[i + 2]);
                    if (high < 0 || low < 0)
                    {
                        return false;
                    }

                    rented[length++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else if (Unreserved.Contains(b))
                {
                    rented[length++] = b;
                }
                else
                {
                    return false;
                }
            }

            var bytes = rented.AsSpan(0, length);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return false;
            }

            id = Encoding.UTF8.GetString(bytes);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// A short, printable excerpt of untrusted bytes for a problem line: never the whole field, never a control
    /// character that could forge a log line.
    /// </summary>
    public static string Excerpt(ReadOnlySpan<byte> text, int maxLength = 40)
    {
        var shown = text.Length <= maxLength ? text : text[..maxLength];
        var builder = new StringBuilder(shown.Length + 5).Append('\'');
        foreach (var b in shown)
        {
            builder.Append(b is >= 0x20 and < 0x7F and not (byte)'\'' ? (char)b : '?');
        }

        builder.Append('\'');
        if (shown.Length < text.Length)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    public static bool IsSeparator(byte b) => b is (byte)' ' or (byte)'\t';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
