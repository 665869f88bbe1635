using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>
/// When the addresses granted to a location with <c>--expires</c> or <c>--for</c> are due to be removed
/// (<c>location/ID/expiries</c>). An address granted without an expiry has no entry: it stays until revoked.
/// </summary>
/// <example>
/// <code>
/// knocknoc-entra-expiries 1
/// expires 203.0.113.7/32 1796094000000
/// end
/// </code>
/// </example>
internal sealed class AddressExpiries
{
    /// <summary>The first line of the file.</summary>
    public const string Header = "knocknoc-entra-expiries 1";

    /// <summary>Gets a record without entries.</summary>
    public static readonly AddressExpiries None = new(ImmutableSortedDictionary<Cidr, DateTimeOffset>.Empty);

    private AddressExpiries(ImmutableSortedDictionary<Cidr, DateTimeOffset> entries) => Entries = entries;

    /// <summary>Gets each network with the time it is removed, in network order.</summary>
    public ImmutableSortedDictionary<Cidr, DateTimeOffset> Entries { get; }

    /// <summary>The networks whose time has come at <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>The networks and their times.</returns>
    public IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>> Due(DateTimeOffset now) => [.. Entries.Where(entry => entry.Value <= now)];

    /// <summary>
    /// The networks whose time has come at <paramref name="now"/>, less those a queued grant of the same address is
    /// about to settle. Withdrawn in that grant's own write, the address would look newly added by it, and a grant that
    /// found the address held for good (its own expiry already past when the drain came) would keep that expiry.
    /// </summary>
    /// <param name="now">The time.</param>
    /// <param name="regranted">The networks of the grants queued for the same write.</param>
    /// <returns>The networks and their times.</returns>
    public IReadOnlyList<KeyValuePair<Cidr, DateTimeOffset>> Due(DateTimeOffset now, IReadOnlySet<Cidr> regranted) =>
        [.. Due(now).Where(entry => !regranted.Contains(entry.Key))];

    /// <summary>Records that <paramref name="network"/> is removed at <paramref name="expires"/>; of two times the later wins.</summary>
    /// <param name="network">The network.</param>
    /// <param name="expires">The time.</param>
    /// <returns>The record.</returns>
    public AddressExpiries Until(Cidr network, DateTimeOffset expires) =>
        new(Entries.SetItem(network, Entries.TryGetValue(network, out var earlier) && earlier > expires ? earlier : expires));

    /// <summary>Forgets <paramref name="networks"/> (revoked, expired, or granted again without an expiry).</summary>
    /// <param name="networks">The networks.</param>
    /// <returns>The record.</returns>
    public AddressExpiries Without(IEnumerable<Cidr> networks) => new(Entries.RemoveRange(networks));

    /// <summary>The file's text.</summary>
    /// <returns>The text.</returns>
    public string Format()
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var (network, expires) in Entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"expires {network} {expires.ToUnixTimeMilliseconds()}\n");
        }

        return text.Append("end\n").ToString();
    }

    /// <summary>Reads the file's text strictly: as a journal's withdrawals, every network must be one the grant address policy gives.</summary>
    /// <param name="text">The text.</param>
    /// <param name="policy">The grant address policy.</param>
    /// <param name="problem">What is wrong when it is not such a file (never quoting it).</param>
    /// <returns>The record, or null.</returns>
    public static AddressExpiries? Parse(string text, GrantAddressPolicy policy, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        problem = null;
        if (!text.StartsWith(Header + "\n", StringComparison.Ordinal) || !text.EndsWith("\nend\n", StringComparison.Ordinal))
        {
            problem = text.Length == 0 ? "is empty" : "is not a whole expiry record (header or end line missing)";
            return null;
        }

        var entries = ImmutableSortedDictionary.CreateBuilder<Cidr, DateTimeOffset>();
        foreach (var line in text[(Header.Length + 1)..^"end\n".Length].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Split(' ') is not ["expires", var cidr, var milliseconds]
                || !Cidr.TryParse(cidr, out var network)
                || !policy.TryGetGrantNetwork(network.BaseAddress, out var granted, out _) || granted != network
                || !long.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
                || unix > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                || !entries.TryAdd(network, DateTimeOffset.FromUnixTimeMilliseconds(unix)))
            {
                problem = "is not a valid expiry record: a line is not one it holds";
                return null;
            }
        }

        return new AddressExpiries(entries.ToImmutable());
    }
}
