using Knocknoc.Entra.Sdk.Errors;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Every log entry the SDK writes. Failures use their ENTRA number as the EventId (ENTRA052 is event 52);
/// other events sit from 1000 up. No entry carries a secret, a token or an Authorization header.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Graph {Method} {Path} answered {Status} in {ElapsedMs} ms (client-request-id {ClientRequestId}, request-id {RequestId})")]
    public static partial void GraphCallCompleted(ILogger logger, string method, string path, int status, long elapsedMs, string clientRequestId, string? requestId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Retrying Graph call, attempt {Attempt} (status {Status}, exception {Exception}) after {Delay}")]
    public static partial void RetryingGraphCall(ILogger logger, int attempt, int status, string? exception, TimeSpan delay);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Access token acquired for {Credential}, expires {ExpiresOn:u}")]
    public static partial void TokenAcquired(ILogger logger, string credential, DateTimeOffset expiresOn);

    public static void Failure(ILogger logger, EntraException exception)
    {
        switch (exception.Code)
        {
            case EntraErrorCode.ConnectionFailed:
                Entra000(logger, exception.Message, exception);
                break;
            case EntraErrorCode.AuthenticationFailed:
                Entra001(logger, exception.Message, exception);
                break;
            case EntraErrorCode.AuthorizationFailed:
                Entra002(logger, exception.Message, exception);
                break;
            case EntraErrorCode.TlsFailure:
                Entra003(logger, exception.Message, exception);
                break;
            case EntraErrorCode.Timeout:
                Entra004(logger, exception.Message, exception);
                break;
            case EntraErrorCode.Throttled:
                Entra005(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationReadFailed:
                Entra050(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationUpdateFailed:
                Entra051(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationNotFound:
                Entra052(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NotAnIpNamedLocation:
                Entra053(logger, exception.Message, exception);
                break;
            case EntraErrorCode.UnexpectedResponse:
                Entra054(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationCreateFailed:
                Entra055(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationDeleteFailed:
                Entra056(logger, exception.Message, exception);
                break;
            case EntraErrorCode.PolicyReadFailed:
                Entra057(logger, exception.Message, exception);
                break;
            case EntraErrorCode.CapacityExceeded:
                Entra058(logger, exception.Message, exception);
                break;
            case EntraErrorCode.GrantRefused:
                Entra059(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationNotManaged:
                Entra060(logger, exception.Message, exception);
                break;
            case EntraErrorCode.NamedLocationNameAmbiguous:
                Entra061(logger, exception.Message, exception);
                break;
            case EntraErrorCode.GrantStoreDamaged:
                Entra062(logger, exception.Message, exception);
                break;
            default:
                UnknownFailure(logger, exception.Message, exception);
                break;
        }
    }

    [LoggerMessage(EventId = 0, EventName = "ENTRA000", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra000(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 1, EventName = "ENTRA001", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra001(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 2, EventName = "ENTRA002", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra002(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "ENTRA003", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra003(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "ENTRA004", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra004(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "ENTRA005", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra005(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 50, EventName = "ENTRA050", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra050(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 51, EventName = "ENTRA051", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra051(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 52, EventName = "ENTRA052", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra052(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 53, EventName = "ENTRA053", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra053(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 54, EventName = "ENTRA054", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra054(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 55, EventName = "ENTRA055", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra055(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 56, EventName = "ENTRA056", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra056(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 57, EventName = "ENTRA057", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra057(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 58, EventName = "ENTRA058", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra058(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 59, EventName = "ENTRA059", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra059(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 60, EventName = "ENTRA060", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra060(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 61, EventName = "ENTRA061", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra061(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 62, EventName = "ENTRA062", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void Entra062(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 999, EventName = "ENTRA", Level = LogLevel.Error, Message = "{Message}")]
    private static partial void UnknownFailure(ILogger logger, string message, Exception exception);
}
