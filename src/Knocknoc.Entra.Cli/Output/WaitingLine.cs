using System.Globalization;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// One line on standard error for every wait of a second or more, while it lasts: a Graph retry's backoff and the
/// tenant's pacing (both from the SDK's typed <see cref="EntraEventObserver"/> events, never from its log text), and
/// the tool's own waits for a lock or another process's drain. Only on a terminal: when standard error is redirected
/// (a log, a pipe, the tests) there is no line and output is unchanged. A newer wait takes the line over.
/// </summary>
internal sealed class WaitingLine : EntraEventObserver
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);
    private static readonly Lazy<WaitingLine?> OnStandardError = new(() => Console.IsErrorRedirected ? null : new WaitingLine(Console.Error, TimeProvider.System));

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

    /// <summary>Initializes a new instance of the <see cref="WaitingLine"/> class writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the line goes (a terminal).</param>
    /// <param name="time">The clock of the countdowns.</param>
    internal WaitingLine(TextWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    /// <summary>Gets the line on standard error, or null when standard error is not a terminal.</summary>
    public static WaitingLine? StandardError => OnStandardError.Value;

    /// <summary>Gets the display of the newest wait, until it ends (for tests).</summary>
    internal Task Shown { get; private set; } = Task.CompletedTask;

    /// <summary>Waits for <paramref name="wait"/>, showing <paramref name="what"/> on a terminal once it has lasted a second.</summary>
    /// <typeparam name="T">What the wait gives.</typeparam>
    /// <param name="wait">The wait.</param>
    /// <param name="what">What is waited for, such as "waiting for the location's lock".</param>
    /// <returns>What the wait gave.</returns>
    public static async Task<T> WhileAsync<T>(Task<T> wait, string what)
    {
        ArgumentNullException.ThrowIfNull(wait);
        using var shown = StandardError?.Elapsed(what);
        return await wait.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void OnGraphRetrying(GraphRetryEvent retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var status = retry.StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)code}") : "no answer";
        Countdown(retry.Delay, $"waiting on Microsoft Graph ({status}): retrying in");
    }

    /// <inheritdoc/>
    public override void OnPacingWait(PacingWaitEvent wait)
    {
        ArgumentNullException.ThrowIfNull(wait);
        Countdown(wait.Delay, "waiting for the tenant's request pacing: sending in");
    }

    /// <summary>Shows <paramref name="what"/> with the seconds waited so far, from the first second until disposed.</summary>
    /// <param name="what">What is waited for.</param>
    /// <returns>Ends the line.</returns>
    public IDisposable Elapsed(string what)
    {
        var started = _time.GetUtcNow();
        var shown = Take();
        Shown = ShowAsync(Threshold, () => string.Create(CultureInfo.InvariantCulture, $"{what}: {Math.Floor((_time.GetUtcNow() - started).TotalSeconds):0} s"), until: null, shown);
        return new Ending(shown);
    }

    /// <summary>Shows <paramref name="what"/> with the seconds left, for a wait known in advance to last a second or more.</summary>
    private void Countdown(TimeSpan wait, string what)
    {
        if (wait < Threshold)
        {
            return;
        }

        var end = _time.GetUtcNow() + wait;
        Shown = ShowAsync(TimeSpan.Zero, () => string.Create(CultureInfo.InvariantCulture, $"{what} {Math.Ceiling((end - _time.GetUtcNow()).TotalSeconds):0} s"), end, Take());
    }

    private CancellationTokenSource Take()
    {
        var taken = new CancellationTokenSource();
        lock (_gate)
        {
            _current?.Cancel();
            _current = taken;
        }

        return taken;
    }

    private async Task ShowAsync(TimeSpan after, Func<string> text, DateTimeOffset? until, CancellationTokenSource shown)
    {
        try
        {
            if (after > TimeSpan.Zero)
            {
                await Task.Delay(after, _time, shown.Token).ConfigureAwait(false);
            }

            while (until is not { } end || _time.GetUtcNow() < end)
            {
                Write($"\r{text()} \u2026\u001b[K");
                var left = until is { } due ? due - _time.GetUtcNow() : Threshold;
                await Task.Delay(left < Threshold && left > TimeSpan.Zero ? left : Threshold, _time, shown.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // A newer wait took the line over, or this one ended.
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, shown))
                {
                    _current = null;
                    Write("\r\u001b[K");
                }
            }

            shown.Dispose();
        }
    }

    private void Write(string text)
    {
        _writer.Write(text);
        _writer.Flush();
    }

    /// <summary>Ends a counted-up wait's line.</summary>
    private sealed class Ending(CancellationTokenSource shown) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                shown.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The display already ended.
            }
        }
    }
}
