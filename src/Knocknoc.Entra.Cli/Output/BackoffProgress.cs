using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// A one-line progress display on standard error while a command waits on Graph's throttling or a retry's backoff for
/// more than a second, fed by the SDK's public log event "Retrying Graph call" (event 1001, its <c>Delay</c>). Only on
/// a terminal: when standard error is redirected (a log, a pipe, the tests) there is no such logger and output is
/// unchanged. Every other log event is ignored.
/// </summary>
internal sealed class BackoffProgress : ILoggerFactory, ILogger
{
    private const int RetryingGraphCallEventId = 1001;
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);

    private readonly TextWriter _writer;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

    private readonly TimeProvider _time;

    private BackoffProgress(TextWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    /// <summary>Creates the display for standard error, or null when standard error is not a terminal.</summary>
    /// <returns>The logger factory to give the SDK's client, or null.</returns>
    public static BackoffProgress? ForStandardError() => Console.IsErrorRedirected ? null : new BackoffProgress(Console.Error, TimeProvider.System);

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => this;

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != RetryingGraphCallEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            return;
        }

        var delay = fields.FirstOrDefault(field => field.Key == "Delay").Value as TimeSpan?;
        if (delay is not { } wait || wait < Threshold)
        {
            return;
        }

        var status = fields.FirstOrDefault(field => field.Key == "Status").Value is int code && code > 0
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {code}")
            : "no answer";
        var cancellation = new CancellationTokenSource();
        lock (_gate)
        {
            _current?.Cancel();
            _current = cancellation;
        }

        _ = ShowAsync(wait, status, cancellation);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            // The display's own finally clears the line.
            _current?.Cancel();
        }
    }

    private async Task ShowAsync(TimeSpan wait, string status, CancellationTokenSource cancellation)
    {
        var end = _time.GetUtcNow() + wait;
        try
        {
            for (var left = wait; left > TimeSpan.Zero; left = end - _time.GetUtcNow())
            {
                Write(string.Create(CultureInfo.InvariantCulture, $"\rwaiting on Microsoft Graph ({status}): retrying in {Math.Ceiling(left.TotalSeconds):0} s \u2026\u001b[K"));
                await Task.Delay(left < Threshold ? left : Threshold, _time, cancellation.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // A newer wait took the line over, or the client is done.
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, cancellation))
                {
                    _current = null;
                    Write("\r\u001b[K");
                }
            }

            cancellation.Dispose();
        }
    }

    private void Write(string text)
    {
        _writer.Write(text);
        _writer.Flush();
    }
}
