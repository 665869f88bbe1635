using System.Buffers;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Writes a snapshot in <see cref="FileGrantStore"/>'s line format: the header, <c>lastwrite</c>, the <c>owned</c>
/// <c>foreign</c>, <c>preserved</c> and <c>written</c> ranges, the grants, and <c>end</c> with the number of records, each line with its checksum.
/// Lines are formatted as UTF-8 straight into one pooled buffer that is flushed in large writes.
/// </summary>
internal sealed class GrantStoreWriter : IDisposable
{
    // Room for a whole longest line plus its separator, checksum and line feed, so a line never straddles a flush.
    private const int LineRoom = GrantStoreFormat.MaxLineLength + 16;
    private const int BufferSize = 256 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _length;
    private int _lineStart;
    private long _records;

    private GrantStoreWriter(Stream stream) => _stream = stream;

    /// <summary>Checks what the format cannot hold before any file is touched, so a refused save changes nothing.</summary>
    /// <exception cref="ArgumentException">A grant id is empty, not valid UTF-16, too long, or repeated.</exception>
    public static void Validate(GrantStoreSnapshot snapshot)
    {
        Span<byte> scratch = new byte[GrantStoreFormat.MaxEscapedIdLength];
        var seen = new HashSet<string>(snapshot.Grants.Length, StringComparer.Ordinal);
        foreach (var grant in snapshot.Grants)
        {
            if (grant.GrantId is null)
            {
                throw new ArgumentException("A grant has no id.", nameof(snapshot));
            }

            // A short id of printable ASCII (the usual session key or GUID) always fits, escaped at 3 bytes a char at
            // worst; any other id gets the exact check (9 bytes a char is the worst case of all).
            if (grant.GrantId.Length == 0 || grant.GrantId.Length > GrantStoreFormat.MaxEscapedIdLength / 9 || !IsPlainAscii(grant.GrantId))
            {
                if (WhyNotStorable(GrantStoreFormat.TryEscapeId(grant.GrantId, scratch, out _), grant.GrantId) is { } why)
                {
                    throw new ArgumentException(why, nameof(snapshot));
                }
            }

            if (!seen.Add(grant.GrantId))
            {
                throw new ArgumentException($"The grant id '{Shorten(grant.GrantId)}' appears more than once; a snapshot's grant ids are unique.", nameof(snapshot));
            }
        }
    }

    /// <summary>Writes the whole snapshot to <paramref name="stream"/>.</summary>
    public static async Task WriteAsync(Stream stream, GrantStoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        using var writer = new GrantStoreWriter(stream);
        writer.StartLine(GrantStoreFormat.MagicUtf8);
        writer.Field(GrantStoreFormat.VersionUtf8);
        writer.EndLine(isRecord: false);

        if (snapshot.LastWriteAt is { } lastWrite)
        {
            writer.StartLine(GrantStoreFormat.LastWriteKeyword);
            writer.Field(lastWrite.ToUnixTimeMilliseconds());
            writer.EndLine(isRecord: true);
        }

        foreach (var range in snapshot.OwnedRanges)
        {
            await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            writer.Range(GrantStoreFormat.OwnedKeyword, range);
        }

        foreach (var range in snapshot.ForeignRanges)
        {
            await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            writer.Range(GrantStoreFormat.ForeignKeyword, range);
        }

        foreach (var range in snapshot.PreservedRanges)
        {
            await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            writer.Range(GrantStoreFormat.PreservedKeyword, range);
        }

        foreach (var range in snapshot.WrittenRanges)
        {
            await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            writer.Range(GrantStoreFormat.WrittenKeyword, range);
        }

        foreach (var grant in snapshot.Grants)
        {
            await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            writer.StartLine(GrantStoreFormat.GrantKeyword);
            writer.Separator();
            var escape = GrantStoreFormat.TryEscapeId(grant.GrantId, writer._buffer.AsSpan(writer._length, GrantStoreFormat.MaxEscapedIdLength), out var idLength);
            if (WhyNotStorable(escape, grant.GrantId) is { } why)
            {
                // Validate refused this already; checked again so a snapshot is never written half-escaped.
                throw new ArgumentException(why, nameof(snapshot));
            }

            writer._length += idLength;
            writer.Field(grant.Network);
            writer.Field(grant.ExpiresAt.ToUnixTimeMilliseconds());
            writer.Field(grant.GrantedAt.ToUnixTimeMilliseconds());
            writer.EndLine(isRecord: true);
        }

        await writer.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
        writer.StartLine(GrantStoreFormat.EndKeyword);
        writer.Field(writer._records);
        writer.EndLine(isRecord: false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private static string? WhyNotStorable(GrantIdEscape escape, string id) => escape switch
    {
        GrantIdEscape.Escaped => null,
        GrantIdEscape.Empty => "A grant id is empty; the store needs a non-empty id.",
        GrantIdEscape.InvalidUtf16 => $"The grant id '{Shorten(id)}' is not valid UTF-16 (a lone surrogate) and cannot be stored unaltered.",
        _ => $"The grant id '{Shorten(id)}' is too long to store ({id.Length} characters).",
    };

    private static bool IsPlainAscii(string id) => !id.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E);

    private static string Shorten(string id) => ShownText.Of(id);

    private void Range(ReadOnlySpan<byte> keyword, Cidr range)
    {
        StartLine(keyword);
        Field(range);
        EndLine(isRecord: true);
    }

    private void StartLine(ReadOnlySpan<byte> keyword)
    {
        _lineStart = _length;
        keyword.CopyTo(_buffer.AsSpan(_length));
        _length += keyword.Length;
    }

    private void Separator() => _buffer[_length++] = (byte)' ';

    private void Field(ReadOnlySpan<byte> text)
    {
        Separator();
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Field(long value)
    {
        Separator();
        _length += GrantStoreFormat.WriteInt64(value, _buffer.AsSpan(_length));
    }

    private void Field(Cidr network)
    {
        Separator();
        if (!network.TryFormat(_buffer.AsSpan(_length), out var written))
        {
            throw new InvalidOperationException("The line buffer is too small for a network.");
        }

        _length += written;
    }

    private void EndLine(bool isRecord)
    {
        var checksum = GrantStoreFormat.Checksum(_buffer.AsSpan(_lineStart, _length - _lineStart));
        Separator();
        GrantStoreFormat.WriteChecksum(checksum, _buffer.AsSpan(_length, GrantStoreFormat.ChecksumLength));
        _length += GrantStoreFormat.ChecksumLength;
        _buffer[_length++] = (byte)'\n';
        if (isRecord)
        {
            _records++;
        }
    }

    private async ValueTask MakeRoomAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length - _length < LineRoom)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // Flushing is also where a save notices it was cancelled, between two large writes.
        cancellationToken.ThrowIfCancellationRequested();
        await _stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        _length = 0;
    }
}
