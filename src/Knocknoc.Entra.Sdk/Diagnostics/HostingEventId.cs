namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>The <see cref="Microsoft.Extensions.Logging.EventId"/>s of the hosted service's log entries (1200-1299).</summary>
public static class HostingEventId
{
    /// <summary>1200, Warning: a transient start failure; the gate is started again in the background.</summary>
    public const int GateStartWillRetry = 1200;

    /// <summary>1201, Information: a gate started after several attempts.</summary>
    public const int GateStartedLate = 1201;

    /// <summary>1202, Error: the background start gave up; the gate's next call tries again.</summary>
    public const int GateStartAbandoned = 1202;

    /// <summary>1203, Critical: a gate cannot start; the host stops.</summary>
    public const int GateStartFailed = 1203;
}
