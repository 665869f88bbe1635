using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// The SDK's own logs on standard error, from <c>--log-level LEVEL</c> or <c>--verbose</c> (debug): one line per
/// record, <c>level category[event] message</c>, beside whatever else the client's logger factory feeds (the waiting
/// line). Off by default. The SDK keeps secrets and tokens out of its logs, so nothing here can show one.
/// </summary>
internal sealed class SdkLog : ILoggerFactory
{
    private static readonly Lock Writing = new();
    private readonly LogLevel _level;
    private readonly ILoggerFactory? _also;

    private SdkLog(LogLevel level, ILoggerFactory? also)
    {
        _level = level;
        _also = also;
    }

    /// <summary>Gets or sets the level from which the SDK's logs are shown; <see cref="LogLevel.None"/> (the default) shows none.</summary>
    /// <remarks>Set once by the command runner from the command line: one process runs one command.</remarks>
    public static LogLevel Level { get; set; } = LogLevel.None;

    /// <summary>The logger factory to give the SDK's client.</summary>
    /// <param name="also">Another factory that sees every record too (the waiting line), or null.</param>
    /// <returns>The factory, or <paramref name="also"/> itself when logs are off.</returns>
    public static ILoggerFactory? With(ILoggerFactory? also) => Level == LogLevel.None ? also : new SdkLog(Level, also);

    /// <summary>Formats one record as the tool prints it.</summary>
    /// <param name="level">The record's level.</param>
    /// <param name="category">Its category (the SDK's type).</param>
    /// <param name="eventId">Its event.</param>
    /// <param name="message">Its message.</param>
    /// <param name="exception">Its exception, or null: its type and message follow.</param>
    /// <returns>One line.</returns>
    public static string Format(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var name = level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "error",
            _ => "critical",
        };
        var line = $"{name} {category}[{eventId.Id}] {message}";
        return (exception is null ? line : $"{line} ({exception.GetType().Name}: {exception.Message})").ReplaceLineEndings(" ");
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName, _also?.CreateLogger(categoryName));

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public void Dispose() => _also?.Dispose();

    private sealed class Logger(SdkLog owner, string category, ILogger? also) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._level || also?.IsEnabled(logLevel) == true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= owner._level && logLevel != LogLevel.None)
            {
                var line = Format(logLevel, category, eventId, formatter(state, exception), exception);
                lock (Writing)
                {
                    Console.Error.WriteLine(line);
                }
            }

            if (also?.IsEnabled(logLevel) == true)
            {
                also.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
