using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>Keeps every log entry at every level, with its exception text, for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(EventId EventId, LogLevel Level, string Text, IReadOnlyDictionary<string, object?> Fields)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured providers serialize the state's values, so they are kept too, with their runtime types.
            var pairs = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var values = string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value?.GetType().FullName}:{p.Value}"));
            var fields = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            owner.Entries.Enqueue((eventId, logLevel, $"{formatter(state, exception)} {exception} {values}", fields));
        }
    }
}
