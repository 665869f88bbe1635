using System.Globalization;
using System.Text;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>A change file as read: the change and, once a drain has decided it, its outcome.</summary>
/// <param name="Change">The change.</param>
/// <param name="Network">Its network by the grant address policy; null for a flush.</param>
/// <param name="ChangeLength">The length of the change's own lines (what a damaged outcome is cut back to).</param>
/// <param name="Outcome">The outcome a drain appended, or null.</param>
/// <param name="HasDamagedOutcome">Whether something follows the change that is not a whole outcome (a drain died writing it).</param>
internal sealed record ChangeFileContent(QueuedChange Change, Cidr? Network, int ChangeLength, ChangeOutcome? Outcome, bool HasDamagedOutcome);

/// <summary>
/// The text of a change file, parsed strictly: a header line, one change line (<c>add ADDRESS</c>, <c>del ADDRESS</c>
/// or <c>flush</c>), and, once drained, the outcome's lines ending in <c>end</c>. Anything else is not a change file.
/// </summary>
/// <example>
/// <code>
/// knocknoc-entra-change 1
/// add 203.0.113.7
/// outcome applied
/// location 00000000-0000-0000-0000-000000000001
/// name knocknoc_vpn
/// written yes
/// together 3
/// added 203.0.113.7/32
/// held 203.0.113.7/32
/// end
/// </code>
/// </example>
internal static class ChangeText
{
    /// <summary>The first line of every change file.</summary>
    public const string Header = "knocknoc-entra-change 1";

    /// <summary>The text of a change as it is queued.</summary>
    /// <param name="change">The change.</param>
    /// <returns>The text.</returns>
    public static string Format(QueuedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Address is { } address ? $"{Header}\n{change.VerbText} {address}\n" : $"{Header}\n{change.VerbText}\n";
    }

    /// <summary>The lines appended to a change file once its outcome is known.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The text.</returns>
    public static string Format(ChangeOutcome outcome)
    {
        var text = new StringBuilder();
        switch (outcome)
        {
            case ChangeApplied applied:
                text.Append("outcome applied\n")
                    .Append(CultureInfo.InvariantCulture, $"location {Uri.EscapeDataString(applied.LocationId)}\n")
                    .Append(CultureInfo.InvariantCulture, $"name {Uri.EscapeDataString(applied.DisplayName)}\n")
                    .Append(CultureInfo.InvariantCulture, $"written {(applied.Written ? "yes" : "no")}\n")
                    .Append(CultureInfo.InvariantCulture, $"together {applied.Together}\n");
                Ranges(text, "added", applied.Added);
                Ranges(text, "removed", applied.Removed);
                Ranges(text, "held", applied.Held);
                break;
            case ChangeFailed failed:
                text.Append("outcome failed\n")
                    .Append(CultureInfo.InvariantCulture, $"code {(int)failed.Code}\n")
                    .Append(CultureInfo.InvariantCulture, $"message {Uri.EscapeDataString(failed.Message)}\n");
                break;
            default:
                throw new ArgumentException("Unknown outcome.", nameof(outcome));
        }

        return text.Append("end\n").ToString();
    }

    /// <summary>Reads a change file's text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="policy">The grant address policy every address must pass.</param>
    /// <param name="problem">What is wrong when it is not a change file (never quoting the file: it may be hostile).</param>
    /// <returns>The content, or null when the text is not a change file.</returns>
    public static ChangeFileContent? Parse(string text, GrantAddressPolicy policy, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        problem = null;
        if (!text.StartsWith(Header + "\n", StringComparison.Ordinal))
        {
            problem = text.Length == 0 ? "is empty" : "does not start with the change file header";
            return null;
        }

        var lineStart = Header.Length + 1;
        var lineEnd = text.IndexOf('\n', lineStart);
        if (lineEnd < 0)
        {
            problem = "ends before its change line is complete";
            return null;
        }

        if (ParseChange(text[lineStart..lineEnd], policy, out problem) is not { } change)
        {
            return null;
        }

        var changeLength = lineEnd + 1;
        var rest = text[changeLength..];
        if (rest.Length == 0)
        {
            return new ChangeFileContent(change.Change, change.Network, changeLength, null, false);
        }

        var outcome = ParseOutcome(rest);
        return new ChangeFileContent(change.Change, change.Network, changeLength, outcome, outcome is null);
    }

    /// <summary>The outcome in a change file's text, whatever its change (a waiting process and a drain read only this).</summary>
    /// <param name="text">The file's text, or null.</param>
    /// <returns>The outcome, or null when there is none whole.</returns>
    public static ChangeOutcome? OutcomeOf(string? text)
    {
        var changeEnd = text is null ? -1 : text.IndexOf('\n', text.IndexOf('\n', StringComparison.Ordinal) + 1);
        return changeEnd < 0 ? null : ParseOutcome(text![(changeEnd + 1)..]);
    }

    /// <summary>Reads an outcome's lines.</summary>
    /// <param name="text">The lines, ending in <c>end</c> and a line feed.</param>
    /// <returns>The outcome, or null when the lines are not a whole outcome.</returns>
    public static ChangeOutcome? ParseOutcome(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith("\nend\n", StringComparison.Ordinal))
        {
            return null;
        }

        var lines = text[..^"end\n".Length].TrimEnd('\n').Split('\n');
        try
        {
            return lines[0] switch
            {
                "outcome applied" => ParseApplied(lines),
                "outcome failed" when lines.Length == 3 => new ChangeFailed(
                    (EntraErrorCode)int.Parse(Value(lines[1], "code"), NumberStyles.None, CultureInfo.InvariantCulture),
                    Uri.UnescapeDataString(Value(lines[2], "message"))),
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static QueuedItem? ParseChange(string line, GrantAddressPolicy policy, out string? problem)
    {
        problem = null;
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? line : line[..space];
        var address = space < 0 ? null : line[(space + 1)..];
        QueuedChange? change = (verb, address) switch
        {
            ("flush", null) => new QueuedChange(ChangeVerb.Flush, null),
            ("add", { Length: > 0 }) => new QueuedChange(ChangeVerb.Add, address),
            ("del", { Length: > 0 }) => new QueuedChange(ChangeVerb.Del, address),
            _ => null,
        };
        if (change is null)
        {
            problem = "holds no change the tool queues (add ADDRESS, del ADDRESS or flush)";
            return null;
        }

        try
        {
            return new QueuedItem(string.Empty, change, change.Network(policy));
        }
        catch (EntraException error) when (error.Code == EntraErrorCode.GrantRefused)
        {
            // The same policy as a grant: a planted range, a private address, anything a caller could not queue.
            problem = "holds an address the grant address policy refuses (ENTRA059): no caller could have queued it";
            return null;
        }
    }

    private static ChangeApplied? ParseApplied(string[] lines)
    {
        if (lines.Length < 5)
        {
            return null;
        }

        var written = Value(lines[3], "written") switch
        {
            "yes" => true,
            "no" => false,
            _ => throw new FormatException(),
        };
        var together = int.Parse(Value(lines[4], "together"), NumberStyles.None, CultureInfo.InvariantCulture);
        var added = CidrSet.CreateBuilder();
        var removed = CidrSet.CreateBuilder();
        var held = CidrSet.CreateBuilder();
        foreach (var line in lines.Skip(5))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var target = space < 0 ? null : line[..space] switch
            {
                "added" => added,
                "removed" => removed,
                "held" => held,
                _ => null,
            };
            if (target is null || !Cidr.TryParse(line.AsSpan(space + 1), out var cidr))
            {
                return null;
            }

            target.Add(cidr);
        }

        return new ChangeApplied(
            Uri.UnescapeDataString(Value(lines[1], "location")),
            Uri.UnescapeDataString(Value(lines[2], "name")),
            written,
            together,
            added.ToSet(),
            removed.ToSet(),
            held.ToSet());
    }

    private static string Value(string line, string key) =>
        line.StartsWith(key + " ", StringComparison.Ordinal) ? line[(key.Length + 1)..] : throw new FormatException();

    private static void Ranges(StringBuilder text, string key, CidrSet set)
    {
        foreach (var cidr in set.ToCidrs())
        {
            text.Append(CultureInfo.InvariantCulture, $"{key} {cidr}\n");
        }
    }
}
