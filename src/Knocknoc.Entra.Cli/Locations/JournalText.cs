using System.Globalization;
using System.Text;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>
/// The journal's text, parsed strictly. Every range a journal could put into a write (a withdrawal only ever takes
/// one out; an added range is only compared) must still be a range the grant address policy gives a caller.
/// </summary>
/// <example>
/// <code>
/// knocknoc-entra-journal 1
/// outcome written
/// settled yes
/// sent-at 1796094000000
/// basis-modified 639000000000000000
/// written-modified none
/// written 203.0.113.7/32
/// added 203.0.113.7/32 acl/vpn/spool/00000000000000000001-0000004242-0123456789abcdef0123456789abcdef
/// removed 192.0.2.0/32
/// end
/// </code>
/// </example>
internal static class JournalText
{
    /// <summary>The first line of a journal.</summary>
    public const string Header = "knocknoc-entra-journal 1";

    /// <summary>The text of a journal.</summary>
    /// <param name="journal">The journal.</param>
    /// <returns>The text.</returns>
    public static string Format(LocationJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var text = new StringBuilder()
            .Append(Header).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"outcome {(journal.Outcome == WriteOutcome.Written ? "written" : "unknown")}\n")
            .Append(CultureInfo.InvariantCulture, $"settled {(journal.Settled ? "yes" : "no")}\n")
            .Append(CultureInfo.InvariantCulture, $"sent-at {journal.SentAt.ToUnixTimeMilliseconds()}\n")
            .Append(CultureInfo.InvariantCulture, $"basis-modified {Ticks(journal.BasisModified)}\n")
            .Append(CultureInfo.InvariantCulture, $"written-modified {Ticks(journal.WrittenModified)}\n");
        foreach (var cidr in journal.Written.ToCidrs())
        {
            text.Append(CultureInfo.InvariantCulture, $"written {cidr}\n");
        }

        foreach (var add in journal.Added)
        {
            foreach (var owner in add.Owners)
            {
                text.Append(CultureInfo.InvariantCulture, $"added {add.Network} {owner}\n");
            }
        }

        foreach (var cidr in journal.Removed.ToCidrs())
        {
            text.Append(CultureInfo.InvariantCulture, $"removed {cidr}\n");
        }

        foreach (var cidr in journal.Withdrawals.ToCidrs())
        {
            text.Append(CultureInfo.InvariantCulture, $"withdraw {cidr}\n");
        }

        return text.Append("end\n").ToString();
    }

    /// <summary>Reads a journal's text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="policy">The grant address policy added and withdrawn ranges must pass.</param>
    /// <param name="problem">What is wrong when it is not a journal (never quoting it).</param>
    /// <returns>The journal, or null.</returns>
    public static LocationJournal? Parse(string text, GrantAddressPolicy policy, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        problem = null;
        if (!text.StartsWith(Header + "\n", StringComparison.Ordinal) || !text.EndsWith("\nend\n", StringComparison.Ordinal))
        {
            problem = text.Length == 0 ? "is empty" : "is not a whole journal (header or end line missing)";
            return null;
        }

        var lines = text[(Header.Length + 1)..^"end\n".Length].TrimEnd('\n').Split('\n');
        try
        {
            if (lines.Length < 5)
            {
                throw new FormatException("a setting is missing");
            }

            var outcome = Value(lines[0], "outcome") switch
            {
                "written" => WriteOutcome.Written,
                "unknown" => WriteOutcome.Unknown,
                _ => throw new FormatException("the outcome is neither written nor unknown"),
            };
            var settled = YesNo(Value(lines[1], "settled"));
            var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Value(lines[2], "sent-at"), NumberStyles.None, CultureInfo.InvariantCulture));
            var basisModified = FromTicks(Value(lines[3], "basis-modified"));
            var writtenModified = FromTicks(Value(lines[4], "written-modified"));
            var written = CidrSet.CreateBuilder();
            var removed = CidrSet.CreateBuilder();
            var withdrawals = CidrSet.CreateBuilder();
            var owners = new Dictionary<Cidr, List<string>>();
            foreach (var line in lines.Skip(5))
            {
                var parts = line.Split(' ');
                switch (parts)
                {
                    case ["written", var cidr]:
                        written.Add(Strict(cidr));
                        break;
                    case ["removed", var cidr]:
                        removed.Add(Strict(cidr));
                        break;
                    case ["withdraw", var cidr]:
                        withdrawals.Add(Granted(Strict(cidr), policy));
                        break;
                    case ["added", var cidr, var owner] when IsOwner(owner):
                        var network = Granted(Strict(cidr), policy);
                        if (!owners.TryGetValue(network, out var list))
                        {
                            owners[network] = list = [];
                        }

                        list.Add(owner);
                        break;
                    default:
                        throw new FormatException("a line is not one a journal holds");
                }
            }

            return new LocationJournal(
                outcome,
                settled,
                sentAt,
                basisModified,
                writtenModified,
                written.ToSet(),
                [.. owners.Select(pair => new JournalAdd(pair.Key, [.. pair.Value]))],
                removed.ToSet(),
                withdrawals.ToSet());
        }
        catch (Exception error) when (error is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            problem = $"is not a valid journal: {error.Message}";
            return null;
        }
    }

    /// <summary>Whether <paramref name="owner"/> is the recorded path of a queued change (<c>acl/ACL/spool/STEM</c>, <c>location/ID/spool/STEM</c>).</summary>
    /// <param name="owner">The path.</param>
    /// <returns>True when it is.</returns>
    public static bool IsOwner(string owner) =>
        owner.Split('/') is [("acl" or "location"), var name, "spool", var stem] && StateDirectory.IsSafeName(name) && ChangeStem.Is(stem);

    private static Cidr Strict(string text) =>
        Cidr.TryParse(text, out var cidr) ? cidr : throw new FormatException("a range is not a canonical CIDR");

    private static Cidr Granted(Cidr cidr, GrantAddressPolicy policy) =>
        policy.TryGetGrantNetwork(cidr.BaseAddress, out var network, out _) && network == cidr
            ? cidr
            : throw new FormatException("an added or withdrawn range is not one the grant address policy gives");

    private static string Value(string line, string key) =>
        line.StartsWith(key + " ", StringComparison.Ordinal) ? line[(key.Length + 1)..] : throw new FormatException($"'{key}' is missing");

    private static bool YesNo(string value) => value switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new FormatException("a flag is neither yes nor no"),
    };

    private static string Ticks(DateTimeOffset? time) =>
        time is { } t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : "none";

    private static DateTimeOffset? FromTicks(string value) =>
        value == "none" ? null : new DateTimeOffset(long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
}
