using System.Net;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The driver's part of session revocation: ends the sessions of the users the core named, one request at a time,
/// each retried with backoff until Entra accepts it or answers that the user is gone, and never paced with the
/// location's writes (the directory throttles it, not Conditional Access). Stops when the gate stops.
/// </summary>
internal sealed class SessionRevoker(ISignInSessionClient client, string gate, RetryBackoff backoff, TimeProvider time, Random random, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<(string User, int Failures), DateTimeOffset> _due = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _worker;
    private long _revoked;

    /// <summary>Gets how many revocations Entra accepted.</summary>
    public long Revoked => Interlocked.Read(ref _revoked);

    /// <summary>Gets how many revocations wait (for their turn or their retry).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Queues the users whose sessions end; starts the worker on first use.</summary>
    public void Enqueue(IReadOnlyList<string> users, CancellationToken stopping)
    {
        if (users.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var user in users)
            {
                _due.Enqueue((user, 0), now);
            }

            _worker ??= Task.Run(() => RunAsync(stopping), CancellationToken.None);
            _wake.TrySetResult();
        }
    }

    /// <summary>The users still waiting for their sessions to end (once the worker stopped: those it never reached).</summary>
    public IReadOnlyList<string> Left()
    {
        lock (_lock)
        {
            return [.. _due.UnorderedItems.Select(item => item.Element.User).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Waits for the worker to stop (after the gate's stopping token was cancelled).</summary>
    public Task StoppedAsync()
    {
        lock (_lock)
        {
            return _worker ?? Task.CompletedTask;
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                string? user = null;
                var failures = 0;
                var wait = Timeout.InfiniteTimeSpan;
                Task wake;
                lock (_lock)
                {
                    // A fresh signal before looking: a user queued after this look completes it, one queued before is seen.
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    wake = _wake.Task;
                    if (_due.TryPeek(out var next, out var at))
                    {
                        wait = at - time.GetUtcNow();
                        if (wait <= TimeSpan.Zero)
                        {
                            _due.Dequeue();
                            (user, failures) = next;
                        }
                    }
                }

                if (user is null)
                {
                    using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    await Task.WhenAny(wake, Task.Delay(wait, time, sleeping.Token)).ConfigureAwait(false);
                    await sleeping.CancelAsync().ConfigureAwait(false);
                    continue;
                }

                await RevokeAsync(user, failures, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RevokeAsync(string user, int failures, CancellationToken stopping)
    {
        try
        {
            await client.RevokeSignInSessionsAsync(user, stopping).ConfigureAwait(false);
            Interlocked.Increment(ref _revoked);
            Log.SessionsRevoked(logger, gate, user);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever a client throws, the revocation is retried (or given up for a user who is gone), never lost silently.
        catch (Exception thrown)
#pragma warning restore CA1031
        {
            var error = thrown as EntraException ?? new EntraException(EntraErrorCode.SessionRevocationFailed, $"The Graph client failed unexpectedly ({thrown.GetType().Name})", thrown);
            if (thrown is not EntraException)
            {
                Log.Failure(logger, error);
            }

            if (error.StatusCode == HttpStatusCode.NotFound)
            {
                // The user is gone: there are no sessions left to end.
                Log.SessionRevocationAbandoned(logger, gate, user, error.CodeText);
                return;
            }

            var delay = backoff.Delay(failures + 1, random.NextDouble());
            Log.SessionRevocationWillRetry(logger, gate, user, error.CodeText, delay);
            lock (_lock)
            {
                _due.Enqueue((user, failures + 1), time.GetUtcNow() + delay);
            }
        }
    }
}
