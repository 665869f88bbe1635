using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Starts every registered gate with the host (each gate's own loop then runs its expiries, writes and drift checks)
/// and disposes them when the host stops, which lets each finish the write in flight. Registered once, however many
/// gates there are.
/// </summary>
/// <remarks>
/// A gate that cannot start because Graph is unavailable for now (a transient <see cref="EntraException"/>, after the
/// Graph client's own retries) does not stop the host: it is tried again in the background, with backoff on the gate's
/// clock, until it starts or the host stops; meanwhile its calls try to start it themselves. Any other failure
/// (location missing or not an IP location, name guard, ambiguous name, sign-in or permission refused) is a
/// configuration error that no wait fixes: it is thrown, so the host fails at start.
/// </remarks>
internal sealed class NamedLocationGateHostedService(
    NamedLocationGates gates,
    IOptionsMonitor<NamedLocationGateOptions> options,
    ILogger<NamedLocationGateHostedService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<INamedLocationGate> _built = [];
    private readonly List<Task> _retries = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var starts = gates.Names.Select(name => StartGateAsync(name, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The host will not run: stop the background retries of the other gates. Every failure is reported.
            await _stopping.CancelAsync().ConfigureAwait(false);
            var failures = starts.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Throw(failures[0]);
            }

            throw new AggregateException("Several named location gates cannot start.", failures);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] retries;
        INamedLocationGate[] built;
        lock (_lock)
        {
            retries = [.. _retries];
            built = [.. _built];
        }

        // Disposing a gate waits for its write in flight; the host's token bounds that wait. The container disposes
        // the gates again when it is disposed, which is harmless: a gate's DisposeAsync is idempotent.
        var disposals = built.Select(gate => gate.DisposeAsync().AsTask());
        await Task.WhenAll(retries.Concat(disposals)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // Reached without StopAsync when the host failed to start: the retries must not outlive the container.
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task StartGateAsync(string name, CancellationToken cancellationToken)
    {
        var gate = gates.Get(name);
        lock (_lock)
        {
            _built.Add(gate);
        }

        try
        {
            await gate.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error) when (error.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            var settings = options.Get(name);
            var retry = new StartRetry(settings);
            var delay = retry.Next();
            HostingLog.StartWillRetry(logger, name, error.CodeText, delay);
            lock (_lock)
            {
                _retries.Add(KeepStartingAsync(name, gate, settings.TimeProvider, retry, delay, _stopping.Token));
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            HostingLog.StartFailed(logger, name, error);
            throw;
        }
    }

    /// <summary>Tries a gate's start again, the wait doubling from the gate's retry base delay to its maximum, with jitter.</summary>
    private async Task KeepStartingAsync(string name, INamedLocationGate gate, TimeProvider time, StartRetry retry, TimeSpan delay, CancellationToken stopping)
    {
        for (var attempt = 2; ; attempt++)
        {
            try
            {
                await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                await gate.StartAsync(stopping).ConfigureAwait(false);
                HostingLog.StartedLate(logger, name, attempt);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (EntraException error) when (error.IsTransient)
            {
                delay = retry.Next();
                HostingLog.StartWillRetry(logger, name, error.CodeText, delay);
            }
            catch (ObjectDisposedException)
            {
                // The container disposed the gate (the host failed to start or is going away).
                return;
            }
#pragma warning disable CA1031 // A background loop has no caller to throw to: the failure is logged, and the gate's next call tries again.
            catch (Exception error)
#pragma warning restore CA1031
            {
                HostingLog.StartAbandoned(logger, name, error);
                return;
            }
        }
    }

    /// <summary>
    /// The waits between a gate's start attempts: the gate's own backoff (<see cref="RetryBackoff"/>, the one its write
    /// loop uses), drawn from a source of its own so it never shares the gate's <see cref="Random"/> across threads.
    /// </summary>
    private sealed class StartRetry(NamedLocationGateOptions settings)
    {
        private readonly RetryBackoff _backoff = new(settings.RetryBaseDelay, settings.RetryMaxDelay);

        // Seeded from the gate's source when the host set one (the gate has not started, so nothing else draws from it).
        private readonly Random _random = settings.Random is { } seeded ? new Random(seeded.Next()) : Random.Shared;
        private int _failures;

        public TimeSpan Next() => _backoff.Delay(++_failures, _random.NextDouble());
    }
}
