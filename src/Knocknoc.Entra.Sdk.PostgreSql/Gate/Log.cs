using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// The PostgreSQL gate's log entries (event ids 1300-1309). A database failure is logged by its exception's type
/// only: Npgsql's messages may name the host, and nothing here ever sees the connection string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, EventName = "SharedDatabaseFailed", Level = LogLevel.Warning, Message = "Gate {Gate}: the shared grant database failed ({Failure})")]
    public static partial void DatabaseFailed(ILogger logger, string gate, string failure);

    [LoggerMessage(EventId = 1301, EventName = "WriterTookOver", Level = LogLevel.Information, Message = "Gate {Gate}: agent {Agent} is the writer of location {Location} (generation {Generation}, {Grants} grants in the table)")]
    public static partial void TookOver(ILogger logger, string gate, string agent, string location, long generation, int grants);

    [LoggerMessage(EventId = 1302, EventName = "WriterSteppedDown", Level = LogLevel.Warning, Message = "Gate {Gate}: agent {Agent} is no longer the writer (generation {Generation}): {Reason}")]
    public static partial void SteppedDown(ILogger logger, string gate, string agent, long generation, string reason);

    [LoggerMessage(EventId = 1303, EventName = "WriterWriteFailed", Level = LogLevel.Warning, Message = "Gate {Gate}: the writer's write of version {Version} failed ({Code}); it is tried again")]
    public static partial void WriteFailed(ILogger logger, string gate, long version, string code);

    [LoggerMessage(EventId = 1304, EventName = "LateWriteChecked", Level = LogLevel.Information, Message = "Gate {Gate}: the previous writer's late writes can no longer land; the location was read again and repaired if needed")]
    public static partial void LateWriteChecked(ILogger logger, string gate);

    [LoggerMessage(EventId = 1305, EventName = "WriterLoopFailed", Level = LogLevel.Error, Message = "Gate {Gate}: the writer's loop failed unexpectedly; it goes on")]
    public static partial void WriterLoopFailed(ILogger logger, string gate, Exception exception);

    [LoggerMessage(EventId = 1306, EventName = "AgentLoopFailed", Level = LogLevel.Error, Message = "Gate {Gate}: the agent's loop failed unexpectedly; it goes on")]
    public static partial void AgentLoopFailed(ILogger logger, string gate, Exception exception);
}
