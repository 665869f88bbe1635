namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// An exclusive lock between processes on one host: a lock file opened with <see cref="FileShare.None"/>, which
/// .NET maps to <c>flock(LOCK_EX | LOCK_NB)</c> on Unix (a share mode on Windows). The kernel drops it when the
/// holder exits or is killed, so a crashed holder never blocks anyone.
/// </summary>
internal sealed class StateLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly FileStream _stream;

    private StateLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock if it is free.</summary>
    /// <param name="path">The lock file (created, mode 600, if missing).</param>
    /// <param name="safety">Checks the lock file: one planted by another user is never used.</param>
    /// <returns>The lock, or null when another process holds it.</returns>
    /// <exception cref="Knocknoc.Entra.Sdk.EntraException">ENTRA066: the lock file cannot be trusted.</exception>
    public static StateLock? TryTake(string path, StateSafety safety)
    {
        var facts = safety.Ownership.Inspect(path);
        if (facts.Kind != FileKind.Missing && safety.Problem(facts, FileKind.File) is { } problem)
        {
            throw StateSafety.Unsafe(path, problem);
        }

        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = StateSafety.FileMode;
        }

        try
        {
            return new StateLock(new FileStream(path, options));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits for the lock.</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="safety">Checks the lock file.</param>
    /// <param name="time">The clock of the polls.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lock.</returns>
    public static async Task<StateLock> TakeAsync(string path, StateSafety safety, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(path, safety) is { } taken)
            {
                return taken;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
