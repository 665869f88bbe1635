using Knocknoc.Entra.Sdk.CidrAlgebra;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Every log entry the SDK writes, numbered by the public constants of <see cref="GraphEventId"/>,
/// <see cref="AuditEventId"/> and <see cref="GateEventId"/>; failures by <see cref="FailureEventId"/> (ENTRA052 is
/// event 2052). No entry carries a secret, a token or an Authorization header. Text the SDK did
/// not write (grant ids, names, ids from Graph) is a <see cref="ShownText"/> parameter, never a raw string, so the
/// message and the structured state show it escaped and capped.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = GraphEventId.CallCompleted, EventName = "CallCompleted", Level = LogLevel.Debug, Message = "Graph {Method} {Path} answered {Status} in {ElapsedMs} ms (client-request-id {ClientRequestId}, request-id {RequestId})")]
    public static partial void GraphCallCompleted(ILogger logger, string method, ShownText path, int status, long elapsedMs, string clientRequestId, ShownText requestId);

    [LoggerMessage(EventId = GraphEventId.CallRetried, EventName = "CallRetried", Level = LogLevel.Warning, Message = "Retrying Graph call, attempt {Attempt} (status {Status}, exception {Exception}) after {Delay}")]
    public static partial void RetryingGraphCall(ILogger logger, int attempt, int status, string? exception, TimeSpan delay);

    [LoggerMessage(EventId = GraphEventId.TokenAcquired, EventName = "TokenAcquired", Level = LogLevel.Debug, Message = "Access token acquired for {Credential}, expires {ExpiresOn:u}")]
    public static partial void TokenAcquired(ILogger logger, ShownText credential, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = GraphEventId.ObserverFailed, EventName = "ObserverFailed", Level = LogLevel.Warning, Message = "The event observer {Observer} threw on {Event}; the SDK goes on")]
    public static partial void ObserverFailed(ILogger logger, ShownText observer, ShownText @event, Exception exception);

    [LoggerMessage(EventId = AuditEventId.GrantAdded, EventName = "GrantAdded", Level = LogLevel.Information, Message = "Audit: gate {Gate} granted {GrantId} the network {Network} until {ExpiresAt:O}")]
    public static partial void GrantAdded(ILogger logger, ShownText gate, ShownText grantId, Cidr network, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = AuditEventId.GrantMoved, EventName = "GrantMoved", Level = LogLevel.Information, Message = "Audit: gate {Gate} moved {GrantId} from {PreviousNetwork} to {Network} until {ExpiresAt:O}")]
    public static partial void GrantMoved(ILogger logger, ShownText gate, ShownText grantId, Cidr previousNetwork, Cidr network, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = AuditEventId.GrantRevoked, EventName = "GrantRevoked", Level = LogLevel.Information, Message = "Audit: gate {Gate} revoked {GrantId} ({Network})")]
    public static partial void GrantRevoked(ILogger logger, ShownText gate, ShownText grantId, Cidr network);

    public static void GrantExpired(ILogger logger, string gate, string grantId, Cidr network, long expiresAtMs)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            GrantExpired(logger, gate, grantId, network, DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));
#pragma warning restore CA1873
        }
    }

    [LoggerMessage(EventId = AuditEventId.GrantExpired, EventName = "GrantExpired", Level = LogLevel.Information, Message = "Audit: gate {Gate} expired {GrantId} ({Network}), due at {ExpiresAt:O}")]
    private static partial void GrantExpired(ILogger logger, ShownText gate, ShownText grantId, Cidr network, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = AuditEventId.GrantsFlushed, EventName = "GrantsFlushed", Level = LogLevel.Information, Message = "Audit: gate {Gate} flushed {Count} grant(s)")]
    public static partial void GrantsFlushed(ILogger logger, ShownText gate, int count);

    [LoggerMessage(EventId = AuditEventId.GrantsReconciled, EventName = "GrantsReconciled", Level = LogLevel.Information, Message = "Audit: gate {Gate} reconciled: {Added} added, {Updated} updated, {Unchanged} unchanged, {Removed} removed, {Refused} refused")]
    public static partial void Reconciled(ILogger logger, ShownText gate, int added, int updated, int unchanged, int removed, int refused);

    [LoggerMessage(EventId = GateEventId.GateStarted, EventName = "GateStarted", Level = LogLevel.Information, Message = "Gate {Gate} keeps named location {LocationId} ('{DisplayName}'): {Grants} grant(s) restored, {Expired} expired while it was down")]
    public static partial void GateStarted(ILogger logger, ShownText gate, ShownText locationId, ShownText displayName, int grants, int expired);

    [LoggerMessage(EventId = GateEventId.LocationWritten, EventName = "LocationWritten", Level = LogLevel.Information, Message = "Gate {Gate} wrote {Ranges} range(s) to named location {LocationId} (+{Added} -{Removed}) in {ElapsedMs} ms")]
    public static partial void LocationWritten(ILogger logger, ShownText gate, ShownText locationId, int ranges, int added, int removed, long elapsedMs);

    [LoggerMessage(EventId = GateEventId.WriteWillRetry, EventName = "WriteWillRetry", Level = LogLevel.Warning, Message = "Gate {Gate} could not write ({Code}); it keeps its pending changes and tries again in {Delay}")]
    public static partial void WriteWillRetry(ILogger logger, ShownText gate, string code, TimeSpan delay);

    [LoggerMessage(EventId = GateEventId.DriftFound, EventName = "DriftFound", Level = LogLevel.Warning, Message = "Gate {Gate}: named location {LocationId} was changed outside the gate ({Added} range(s) appeared, {Removed} disappeared); the gate's state is written back")]
    public static partial void DriftFound(ILogger logger, ShownText gate, ShownText locationId, int added, int removed);

    [LoggerMessage(EventId = GateEventId.StaleReadIgnored, EventName = "StaleReadIgnored", Level = LogLevel.Debug, Message = "Gate {Gate} ignored a read of the location modified {Modified:O}, older than one already seen ({Newest:O})")]
    public static partial void StaleReadIgnored(ILogger logger, ShownText gate, DateTimeOffset modified, DateTimeOffset newest);

    [LoggerMessage(EventId = GateEventId.StoreSaveFailed, EventName = "StoreSaveFailed", Level = LogLevel.Error, Message = "Gate {Gate} could not save its grant store; it tries again with the next change")]
    public static partial void StoreSaveFailed(ILogger logger, ShownText gate, Exception exception);

    [LoggerMessage(EventId = GateEventId.GrantUndone, EventName = "GrantUndone", Level = LogLevel.Warning, Message = "Gate {Gate} undid grant {GrantId}: the grant store could not be saved, so it never reaches Entra (ENTRA063)")]
    public static partial void GrantUndone(ILogger logger, ShownText gate, ShownText grantId);

    [LoggerMessage(EventId = GateEventId.GrantRemovedInEntra, EventName = "GrantRemovedInEntra", Level = LogLevel.Warning, Message = "Gate {Gate} did not restore grant {GrantId} ({Network}): it was written to the location once and the location no longer holds it, so it was revoked after the store's last save or removed by a person")]
    public static partial void GrantRemovedInEntra(ILogger logger, ShownText gate, ShownText grantId, Cidr network);

    [LoggerMessage(EventId = GateEventId.RevokedAddressStays, EventName = "RevokedAddressStays", Level = LogLevel.Warning, Message = "Gate {Gate} revoked {GrantId}, but {Network} stays allowed: {OtherGrants} other grant(s) of the gate and {KeptRanges} kept range(s) still cover it")]
    public static partial void RevokedAddressStays(ILogger logger, ShownText gate, ShownText grantId, Cidr network, int otherGrants, int keptRanges);

    [LoggerMessage(EventId = GateEventId.SessionsRevoked, EventName = "SessionsRevoked", Level = LogLevel.Information, Message = "Audit: gate {Gate} ended the sign-in sessions of {User}, whose last grant ended")]
    public static partial void SessionsRevoked(ILogger logger, ShownText gate, ShownText user);

    [LoggerMessage(EventId = GateEventId.SessionRevocationWillRetry, EventName = "SessionRevocationWillRetry", Level = LogLevel.Warning, Message = "Gate {Gate} could not end the sign-in sessions of {User} ({Code}); it tries again in {Delay}")]
    public static partial void SessionRevocationWillRetry(ILogger logger, ShownText gate, ShownText user, string code, TimeSpan delay);

    [LoggerMessage(EventId = GateEventId.SessionRevocationAbandoned, EventName = "SessionRevocationAbandoned", Level = LogLevel.Warning, Message = "Gate {Gate} gave up ending the sign-in sessions of {User} ({Code}): Entra does not know the user, so no session is left")]
    public static partial void SessionRevocationAbandoned(ILogger logger, ShownText gate, ShownText user, string code);

    [LoggerMessage(EventId = GateEventId.StartDeferred, EventName = "StartDeferred", Level = LogLevel.Information, Message = "Gate {Gate} starts inside Graph's consistency window after the last write, so its read may be stale: it reads the location again at {ReadAgainAt:O} and decides then; calls wait for the start")]
    public static partial void StartDeferred(ILogger logger, ShownText gate, DateTimeOffset readAgainAt);

    [LoggerMessage(EventId = GateEventId.SessionRevocationLeftAtStop, EventName = "SessionRevocationLeftAtStop", Level = LogLevel.Warning, Message = "Gate {Gate} stopped before it could end the sign-in sessions of {User}, whose last grant ended; no later start does it: end them by hand if the revocation must bite now")]
    public static partial void SessionRevocationLeftAtStop(ILogger logger, ShownText gate, ShownText user);

    [LoggerMessage(EventId = GateEventId.GateLoopFailed, EventName = "GateLoopFailed", Level = LogLevel.Error, Message = "Gate {Gate}: unexpected failure in the write loop; it goes on")]
    public static partial void LoopFailed(ILogger logger, ShownText gate, Exception exception);

    /// <summary>Logs a failure under its ENTRA code, with its facts as structured fields (see <see cref="FailureLog"/>).</summary>
    public static void Failure(ILogger logger, EntraException exception) => FailureLog.Failure(logger, exception);
}
