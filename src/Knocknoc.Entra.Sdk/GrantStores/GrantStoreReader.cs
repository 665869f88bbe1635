using System.Buffers;
using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Reads <see cref="FileGrantStore"/>'s line format, streaming, keeping every line whose checksum and fields are
/// valid and describing each that is not. It never throws on content: garbage yields problems and an empty
/// snapshot. Memory is bounded by the longest line it buffers and the records it keeps.
/// </summary>
internal sealed partial class GrantStoreReader
{
    private const int BufferSize = 256 * 1024;
    private const int MaxFields = 5;

    private readonly List<StoredGrant> _grants = [];
    private readonly Dictionary<string, (int Index, long Line)> _grantLines = new(StringComparer.Ordinal);
    private readonly List<Cidr> _owned = [];
    private readonly List<Cidr> _written = [];
    private readonly List<Cidr> _foreign = [];
    private readonly List<Cidr> _preserved = [];
    private readonly List<string> _problems = [];
    private DateTimeOffset? _lastWrite;
    private long _lastWriteLine;
    private long _unlistedProblems;
    private long _lineNumber;
    private long _recordLines;
    private long? _endLine;
    private long? _endCount;
    private long _linesAfterEnd;
    private bool _unsupportedVersion;

    private GrantStoreReader()
    {
    }

    /// <summary>Reads the whole store from <paramref name="stream"/>.</summary>
    /// <exception cref="IOException">The stream could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<GrantStoreLoadResult> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reader = new GrantStoreReader();
        if (stream.CanSeek && stream.Length > GrantStoreFormat.MaxFileLength)
        {
            reader._problems.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"the file is {stream.Length:N0} bytes, over the {GrantStoreFormat.MaxFileLength:N0}-byte limit of a grant store; nothing was read"));
            return new GrantStoreLoadResult(GrantStoreSnapshot.Empty, reader._problems);
        }

        await reader.ReadLinesAsync(stream, cancellationToken).ConfigureAwait(false);
        return reader.Finish();
    }

    private async Task ReadLinesAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int start = 0, end = 0;
            long total = 0;
            var skippingLongLine = false;
            while (true)
            {
                int lineFeed;
                while ((lineFeed = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
                {
                    if (skippingLongLine)
                    {
                        // The end of a line already reported as too long.
                        skippingLongLine = false;
                    }
                    else if (lineFeed > GrantStoreFormat.MaxLineLength)
                    {
                        LongLine();
                    }
                    else
                    {
                        Line(buffer.AsSpan(start, lineFeed), hasLineFeed: true);
                    }

                    start += lineFeed + 1;
                    if (_unsupportedVersion)
                    {
                        return;
                    }
                }

                if (skippingLongLine)
                {
                    start = end;
                }
                else if (end - start > GrantStoreFormat.MaxLineLength)
                {
                    // Never buffer a line without bound: report it and drop bytes until its line feed.
                    LongLine();
                    skippingLongLine = true;
                    start = end;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                end += read;
                if (total > GrantStoreFormat.MaxFileLength)
                {
                    // The file grew past the limit while being read; what was read so far is kept.
                    _problems.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"the file is over the {GrantStoreFormat.MaxFileLength:N0}-byte limit of a grant store; the rest was not read"));
                    return;
                }
            }

            if (end > start && !skippingLongLine)
            {
                if (end - start > GrantStoreFormat.MaxLineLength)
                {
                    LongLine();
                }
                else
                {
                    Line(buffer.AsSpan(start, end - start), hasLineFeed: false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void LongLine()
    {
        _lineNumber++;
        CountLine();
        Problem(string.Create(CultureInfo.InvariantCulture, $"longer than {GrantStoreFormat.MaxLineLength:N0} bytes; skipped"));
    }

    private void CountLine()
    {
        if (_endLine is not null)
        {
            _linesAfterEnd++;
        }
        else if (_lineNumber > 1)
        {
            _recordLines++;
        }
    }

    private void Line(ReadOnlySpan<byte> line, bool hasLineFeed)
    {
        _lineNumber++;
        CountLine();
        if (_endLine is not null)
        {
            return;
        }

        if (!hasLineFeed)
        {
            Problem("the file ends inside this line, without a line feed; it was cut short");
        }

        // Tolerated so a store copied through a CRLF-converting tool still reads; the checksum is before it.
        if (line is [.., (byte)'\r'])
        {
            line = line[..^1];
        }

        var separator = line.LastIndexOfAny((byte)' ', (byte)'\t');
        if (separator < 0 || !GrantStoreFormat.TryReadChecksum(line[(separator + 1)..], out var checksum))
        {
            Problem(line.IsEmpty ? "empty line" : "no checksum at the end of the line; the line was cut or altered");
            return;
        }

        var content = line[..separator];
        if (GrantStoreFormat.Checksum(content) != checksum)
        {
            Problem("checksum mismatch; the line was altered or cut");
            return;
        }

        Span<Range> fields = stackalloc Range[MaxFields + 1];
        var count = Split(content, fields);
        if (count < 0)
        {
            Problem("empty field (two separators in a row, or one at the start)");
            return;
        }

        var keyword = content[fields[0]];
        if (_lineNumber == 1 && !Header(content, fields[..count]))
        {
            return;
        }

        if (keyword.SequenceEqual(GrantStoreFormat.EndKeyword))
        {
            End(content, fields[..count]);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.GrantKeyword))
        {
            Grant(content, fields[..count]);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.OwnedKeyword))
        {
            RangeRecord(content, fields[..count], "owned", _owned);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.ForeignKeyword))
        {
            RangeRecord(content, fields[..count], "foreign", _foreign);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.PreservedKeyword))
        {
            RangeRecord(content, fields[..count], "preserved", _preserved);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.WrittenKeyword))
        {
            RangeRecord(content, fields[..count], "written", _written);
        }
        else if (keyword.SequenceEqual(GrantStoreFormat.LastWriteKeyword))
        {
            LastWrite(content, fields[..count]);
        }
        else
        {
            Problem($"unknown record type {GrantStoreFormat.Excerpt(keyword, 20)}");
        }
    }

    private void Problem(string what)
    {
        if (_problems.Count >= GrantStoreFormat.MaxProblems)
        {
            _unlistedProblems++;
            return;
        }

        _problems.Add(string.Create(CultureInfo.InvariantCulture, $"line {_lineNumber}: {what}"));
    }

    private GrantStoreLoadResult Finish()
    {
        if (_unsupportedVersion)
        {
            return new GrantStoreLoadResult(GrantStoreSnapshot.Empty, _problems);
        }

        var closing = new List<string>();
        if (_lineNumber == 0)
        {
            closing.Add("the file is empty (0 bytes): it was cut short or never written");
        }
        else if (_endLine is not { } endLine)
        {
            closing.Add(string.Create(CultureInfo.InvariantCulture, $"no end line after line {_lineNumber}: the file was cut short"));
        }
        else if (_endCount is { } expected && expected != _recordLines)
        {
            closing.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"line {endLine}: the end line counts {expected} records but {_recordLines} lines were found; lines were lost or added"));
        }

        if (_linesAfterEnd > 0)
        {
            closing.Add(string.Create(CultureInfo.InvariantCulture, $"line {_endLine + 1}: {_linesAfterEnd} lines after the end line were ignored"));
        }

        // Closing problems say how the file ended, so they are listed even when the cap was reached.
        var problems = new List<string>(_problems);
        problems.AddRange(closing);
        if (_unlistedProblems > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"... and {_unlistedProblems} more problems not listed"));
        }

        var snapshot = new GrantStoreSnapshot
        {
            Grants = [.. _grants],
            OwnedRanges = [.. _owned],
            ForeignRanges = [.. _foreign],
            PreservedRanges = [.. _preserved],
            WrittenRanges = [.. _written],
            LastWriteAt = _lastWrite,
        };
        return new GrantStoreLoadResult(snapshot, problems);
    }
}
