using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk;

/// <summary>The hosted service's log entries, numbered by <see cref="HostingEventId"/>.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = HostingEventId.GateStartWillRetry, EventName = "GateStartWillRetry", Level = LogLevel.Warning, Message = "Gate {Gate} could not start ({Code}, transient); the host goes on and the gate tries again in {Delay}")]
    public static partial void StartWillRetry(ILogger logger, ShownText gate, string code, TimeSpan delay);

    [LoggerMessage(EventId = HostingEventId.GateStartedLate, EventName = "GateStartedLate", Level = LogLevel.Information, Message = "Gate {Gate} started after {Attempts} attempts")]
    public static partial void StartedLate(ILogger logger, ShownText gate, int attempts);

    [LoggerMessage(EventId = HostingEventId.GateStartAbandoned, EventName = "GateStartAbandoned", Level = LogLevel.Error, Message = "Gate {Gate} could not start and is no longer retried in the background; its next call tries again")]
    public static partial void StartAbandoned(ILogger logger, ShownText gate, Exception exception);

    [LoggerMessage(EventId = HostingEventId.GateStartFailed, EventName = "GateStartFailed", Level = LogLevel.Critical, Message = "Gate {Gate} cannot start; the host stops")]
    public static partial void StartFailed(ILogger logger, ShownText gate, Exception exception);
}
