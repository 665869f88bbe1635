using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Locations;

/// <summary>What a change would do to a location (<c>--dry-run</c>).</summary>
/// <param name="Location">The location as read.</param>
/// <param name="Diff">The ranges that would be added and removed.</param>
/// <param name="Desired">What the location would hold.</param>
internal sealed record LocationPreview(IpNamedLocation Location, CidrSetDiff Diff, CidrSet Desired);

/// <summary>
/// The rules of editing one IP named location through the SDK's client: the name guard, the sentinel when nothing is
/// left. Writes go through a queue and its drain (<see cref="Changes.ChangeDrain"/>), one at a time per location.
/// </summary>
internal static class LocationEditor
{
    /// <summary>Gets the range a location holds when nothing is granted (Graph refuses an empty location).</summary>
    public static Cidr Sentinel => NamedLocationGateOptions.DefaultSentinel;

    /// <summary>Finds the location by id or by display name and checks the name guard.</summary>
    /// <param name="client">The client.</param>
    /// <param name="id">The id, or null to find it by <paramref name="name"/>.</param>
    /// <param name="name">The display name.</param>
    /// <param name="prefix">The name guard prefix.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The location, read now.</returns>
    public static async Task<IpNamedLocation> ReadAsync(INamedLocationClient client, string? id, string? name, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        id ??= await FindIdAsync(client, name ?? throw new ArgumentNullException(nameof(name)), cancellationToken).ConfigureAwait(false);
        var location = await client.GetIpAsync(id, cancellationToken).ConfigureAwait(false);
        var guard = LocationNameGuard.Prefix(prefix);
        return guard.Allows(location.DisplayName)
            ? location
            : throw new EntraException(EntraErrorCode.NameGuardMismatch, $"the location {location.Id} is called '{location.DisplayName}', not a {guard}: it is not touched");
    }

    /// <summary>Finds the id of the one location with display name <paramref name="name"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="name">The display name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The id.</returns>
    public static async Task<string> FindIdAsync(INamedLocationClient client, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var all = await client.ListAsync(cancellationToken).ConfigureAwait(false);
        var matches = all.Where(location => string.Equals(location.DisplayName, name, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new EntraException(EntraErrorCode.NamedLocationNotFound, $"no named location is called '{name}'"),
            _ => throw new EntraException(EntraErrorCode.NamedLocationNameAmbiguous, $"{matches.Count} named locations are called '{name}': {string.Join(", ", matches.Select(m => m.Id))}"),
        };
    }

    /// <summary>What a location holds after <paramref name="change"/>: the sentinel is never a grant, and comes back when nothing is left.</summary>
    /// <param name="current">What it holds now.</param>
    /// <param name="change">The change, applied to the ranges other than the sentinel.</param>
    /// <returns>The new set.</returns>
    public static CidrSet Desired(CidrSet current, Func<CidrSet, CidrSet> change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        var sentinel = CidrSet.Create(Sentinel);
        var next = change(current.Except(sentinel));
        return next.IsEmpty ? sentinel : next;
    }

    /// <summary>Reads the location fresh and computes what the change would do; sends nothing.</summary>
    /// <param name="client">The client.</param>
    /// <param name="settings">The settings (location and name guard).</param>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What would change.</returns>
    public static async Task<LocationPreview> PreviewAsync(INamedLocationClient client, CliSettings settings, Func<CidrSet, CidrSet> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var location = await ReadAsync(client, settings.LocationId, settings.LocationName, settings.NamePrefix, cancellationToken).ConfigureAwait(false);
        var current = location.ToSet();
        var desired = Desired(current, change);
        return new LocationPreview(location, CidrSet.Diff(current, desired), desired);
    }
}
