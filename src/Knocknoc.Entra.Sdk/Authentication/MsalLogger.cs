using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Abstractions;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// MSAL's own log, routed to the host's logger (EventId 1003, <c>MsalLog</c>) so a sign-in problem can be followed
/// through MSAL's steps without a debugger. MSAL's PII logging stays off, so it scrubs tenant-identifying and personal
/// data itself; the text is escaped and capped like any text the SDK did not write. MSAL's verbose and informational
/// chatter sits at Trace and Debug, its warnings and errors at Warning and Error.
/// </summary>
internal sealed partial class MsalLogger(ILogger logger) : IIdentityLogger
{
    private const int MaxShown = 1024;

    public bool IsEnabled(EventLogLevel eventLogLevel) => logger.IsEnabled(Level(eventLogLevel));

    public void Log(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var level = Level(entry.EventLogLevel);
        if (logger.IsEnabled(level))
        {
            var shown = ShownText.Of(entry.Message, MaxShown);
            Logged(logger, level, shown);
        }
    }

    private static LogLevel Level(EventLogLevel level) => level switch
    {
        EventLogLevel.Critical => LogLevel.Critical,
        EventLogLevel.Error => LogLevel.Error,
        EventLogLevel.Warning => LogLevel.Warning,
        EventLogLevel.Informational => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    // "message": text already escaped and capped above (the convention test allows the name for SDK-shaped text).
    [LoggerMessage(EventId = GraphEventId.MsalLog, EventName = "MsalLog", Message = "MSAL: {Message}")]
    private static partial void Logged(ILogger logger, LogLevel level, string message);
}
