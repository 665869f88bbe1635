namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>A location's counters as the database holds them: what changed, what Entra holds, what failed.</summary>
/// <param name="Version">Bumped by every accepted change.</param>
/// <param name="ConfirmedVersion">The newest version the writer confirmed Entra holds.</param>
/// <param name="FailedVersion">The newest version whose write failed.</param>
/// <param name="FailedCode">The ENTRA code of that failure.</param>
internal readonly record struct LocationRow(long Version, long ConfirmedVersion, long FailedVersion, int? FailedCode);
