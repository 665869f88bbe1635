using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>The records of <see cref="GrantStoreReader"/>: the header, grants, ranges, the last write and the end, each checked field by field.</summary>
internal sealed partial class GrantStoreReader
{
    /// <summary>Checks line 1; returns whether the line should still be read as a record (a header gone missing).</summary>
    private bool Header(ReadOnlySpan<byte> content, ReadOnlySpan<Range> fields)
    {
        var keyword = content[fields[0]];
        if (keyword.SequenceEqual(GrantStoreFormat.MagicUtf8))
        {
            if (fields.Length == 2 && content[fields[1]].SequenceEqual(GrantStoreFormat.VersionUtf8))
            {
                return false;
            }

            if (fields.Length == 2)
            {
                // A newer writer's format may mean something else by the same words: read nothing rather than guess.
                Problem($"the store is format version {GrantStoreFormat.Excerpt(content[fields[1]], 20)}; this library reads version {GrantStoreFormat.Version}, so nothing was read");
                _unsupportedVersion = true;
                return false;
            }

            Problem("malformed header");
            return false;
        }

        if (IsRecordKeyword(keyword))
        {
            Problem($"the header line is missing (the file starts with a record); expected '{GrantStoreFormat.Magic} {GrantStoreFormat.Version}'");
            _recordLines++;
            return true;
        }

        Problem($"not a grant store header: the file starts with {GrantStoreFormat.Excerpt(keyword, 20)}, expected '{GrantStoreFormat.Magic}'");
        return false;
    }

    private static bool IsRecordKeyword(ReadOnlySpan<byte> keyword) =>
        keyword.SequenceEqual(GrantStoreFormat.GrantKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.OwnedKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.ForeignKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.PreservedKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.WrittenKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.LastWriteKeyword)
        || keyword.SequenceEqual(GrantStoreFormat.EndKeyword);

    private void End(ReadOnlySpan<byte> content, ReadOnlySpan<Range> fields)
    {
        // The end line is not a record: take back the count CountLine gave it.
        _recordLines--;
        _endLine = _lineNumber;
        if (fields.Length != 2 || !GrantStoreFormat.TryReadInt64(content[fields[1]], out var count) || count < 0)
        {
            Problem("malformed end line; the record count cannot be checked");
            return;
        }

        _endCount = count;
    }

    private void Grant(ReadOnlySpan<byte> content, ReadOnlySpan<Range> fields)
    {
        if (!HasFields(fields, 5, "grant"))
        {
            return;
        }

        var escapedId = content[fields[1]];
        if (!GrantStoreFormat.TryUnescapeId(escapedId, out var id))
        {
            Problem("the grant id is not validly percent-escaped UTF-8");
            return;
        }

        if (!TryNetwork(content[fields[2]], out var network)
            || !TryTime(content[fields[3]], "expiry", out var expiresAt)
            || !TryTime(content[fields[4]], "grant time", out var grantedAt))
        {
            return;
        }

        var grant = new StoredGrant(id, network, expiresAt, grantedAt);
        if (_grantLines.TryGetValue(id, out var previous))
        {
            // Two records for one id: the later expiry is the safer to keep, since dropping it could revoke access early.
            var keepNew = grant.ExpiresAt > _grants[previous.Index].ExpiresAt;
            Problem(string.Create(
                CultureInfo.InvariantCulture,
                $"grant id {GrantStoreFormat.Excerpt(escapedId)} already appeared on line {previous.Line}; kept the one expiring later (line {(keepNew ? _lineNumber : previous.Line)})"));
            if (keepNew)
            {
                _grants[previous.Index] = grant;
                _grantLines[id] = (previous.Index, _lineNumber);
            }

            return;
        }

        _grantLines.Add(id, (_grants.Count, _lineNumber));
        _grants.Add(grant);
    }

    private void RangeRecord(ReadOnlySpan<byte> content, ReadOnlySpan<Range> fields, string what, List<Cidr> ranges)
    {
        if (HasFields(fields, 2, what) && TryNetwork(content[fields[1]], out var network))
        {
            ranges.Add(network);
        }
    }

    private void LastWrite(ReadOnlySpan<byte> content, ReadOnlySpan<Range> fields)
    {
        if (!HasFields(fields, 2, "lastwrite") || !TryTime(content[fields[1]], "last write time", out var at))
        {
            return;
        }

        if (_lastWrite is { } previous)
        {
            Problem(string.Create(CultureInfo.InvariantCulture, $"a second lastwrite record (the first on line {_lastWriteLine}); kept the later time"));
            if (at <= previous)
            {
                return;
            }
        }

        _lastWrite = at;
        _lastWriteLine = _lineNumber;
    }

    private bool HasFields(ReadOnlySpan<Range> fields, int expected, string what)
    {
        if (fields.Length == expected)
        {
            return true;
        }

        var found = fields.Length > MaxFields ? "too many" : (fields.Length - 1).ToString(CultureInfo.InvariantCulture);
        Problem(string.Create(CultureInfo.InvariantCulture, $"the {what} record has {found} fields after its keyword, expected {expected - 1}"));
        return false;
    }

    private bool TryNetwork(ReadOnlySpan<byte> text, out Cidr network)
    {
        if (Cidr.TryParse(text, out network))
        {
            return true;
        }

        Problem($"the network {GrantStoreFormat.Excerpt(text, 50)} is not a strict CIDR");
        return false;
    }

    private bool TryTime(ReadOnlySpan<byte> text, string what, out DateTimeOffset time)
    {
        if (GrantStoreFormat.TryReadInt64(text, out var milliseconds)
            && milliseconds >= GrantStoreFormat.MinUnixMilliseconds
            && milliseconds <= GrantStoreFormat.MaxUnixMilliseconds)
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            return true;
        }

        time = default;
        Problem($"the {what} {GrantStoreFormat.Excerpt(text, 24)} is not a time in Unix milliseconds");
        return false;
    }

    /// <summary>Splits on single separators; -1 when a field is empty. Counts at most one field past the most any record has.</summary>
    private static int Split(ReadOnlySpan<byte> content, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (count < fields.Length)
        {
            var length = content[start..].IndexOfAny((byte)' ', (byte)'\t');
            var stop = length < 0 ? content.Length : start + length;
            if (stop == start)
            {
                return -1;
            }

            fields[count++] = start..stop;
            if (length < 0)
            {
                return count;
            }

            start = stop + 1;
        }

        return count;
    }
}
