using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// Calls waiting for the writer to confirm a version of the location. A confirmation of v settles every call waiting
/// on v or less; a failed write of v fails every call waiting on v or less that is not confirmed yet.
/// </summary>
internal sealed class VersionWaiters
{
    private readonly Lock _lock = new();
    private readonly List<(long Version, TaskCompletionSource Done)> _waiting = [];
    private LocationRow _seen;

    public LocationRow Seen
    {
        get
        {
            lock (_lock)
            {
                return _seen;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>A task that completes when Entra holds <paramref name="version"/> (at once if it is known to).</summary>
    public Task WaitAsync(long version, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (version <= _seen.ConfirmedVersion)
            {
                return Task.CompletedTask;
            }

            _waiting.Add((version, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The location's counters were read: settle what they settle.</summary>
    public void Observe(LocationRow row)
    {
        List<(long Version, TaskCompletionSource Done)> settled;
        lock (_lock)
        {
            _seen = row;
            settled = _waiting.FindAll(w => w.Version <= row.ConfirmedVersion || w.Version <= row.FailedVersion);
            _waiting.RemoveAll(w => w.Version <= row.ConfirmedVersion || w.Version <= row.FailedVersion);
        }

        foreach (var (version, done) in settled)
        {
            if (version <= row.ConfirmedVersion)
            {
                done.TrySetResult();
            }
            else
            {
                done.TrySetException(new EntraException((EntraErrorCode)(row.FailedCode ?? 0),
                    $"The writer's write of version {row.FailedVersion} failed; the change is kept and written again."));
            }
        }
    }

    /// <summary>The gate stops: every waiting call ends.</summary>
    public void FailAll(Exception error)
    {
        List<(long Version, TaskCompletionSource Done)> all;
        lock (_lock)
        {
            all = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var (_, done) in all)
        {
            done.TrySetException(error);
        }
    }
}
