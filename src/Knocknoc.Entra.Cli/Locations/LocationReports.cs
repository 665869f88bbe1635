namespace Knocknoc.Entra.Cli.Locations;

/// <summary><c>show --json</c>: what the location holds.</summary>
/// <param name="Id">The location's id.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="ModifiedDateTime">When Graph says it last changed.</param>
/// <param name="Ranges">Its ranges as Graph holds them.</param>
/// <param name="MaxRanges">The most ranges Graph accepts in one location.</param>
internal sealed record ShowReport(string Id, string DisplayName, DateTimeOffset? ModifiedDateTime, IReadOnlyList<string> Ranges, int MaxRanges);

/// <summary><c>grant</c>, <c>revoke</c>, <c>flush</c> and <c>script</c> with <c>--json</c>: what changed.</summary>
/// <param name="Command">The command.</param>
/// <param name="LocationId">The location's id.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="DryRun">Whether nothing was sent.</param>
/// <param name="Written">Whether a PATCH was sent.</param>
/// <param name="Added">The ranges added (or, in a dry run, that would be).</param>
/// <param name="Removed">The ranges removed (or that would be).</param>
/// <param name="Ranges">What the location holds after the change.</param>
/// <param name="Expires">When a granted address is removed again (<c>grant --expires</c>/<c>--for</c>); null when it stays until revoked.</param>
internal sealed record ChangeReport(string Command, string LocationId, string DisplayName, bool DryRun, bool Written, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Ranges, DateTimeOffset? Expires);

/// <summary><c>expire --json</c>: an address removed because its time had come.</summary>
/// <param name="Range">The range removed.</param>
/// <param name="Expires">When it was due.</param>
internal sealed record ExpiredAddress(string Range, DateTimeOffset Expires);

/// <summary><c>locations --json</c>: one IP named location of the tenant.</summary>
/// <param name="Id">The location's id.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Ranges">How many ranges it holds.</param>
/// <param name="ModifiedDateTime">When Graph says it last changed.</param>
/// <param name="Managed">Whether its name passes the name guard, so this tool may change it.</param>
internal sealed record LocationSummary(string Id, string DisplayName, int Ranges, DateTimeOffset? ModifiedDateTime, bool Managed);
