
namespace Knocknoc.Entra.Sdk;

/// <summary>
/// One writer per store file: an exclusive lock on <c>&lt;path&gt;.lock</c>, held open from the load until the gate
/// stops. On Unix .NET takes it with <c>flock</c>, which the kernel releases when the process dies (kill -9 included),
/// so a crashed holder never blocks the next start; a second gate, in this process or another, is refused at once.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _held;

    private StoreLock(FileStream held) => _held = held;

    /// <summary>Takes the lock of the store at <paramref name="storePath"/>.</summary>
    /// <exception cref="EntraException">ENTRA064: another live gate holds it; ENTRA062: the lock file cannot be made.</exception>
    public static StoreLock Take(string storePath)
    {
        var path = storePath + ".lock";
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new StoreLock(new FileStream(path, options));
        }
        catch (IOException exception) when (File.Exists(path) && exception is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new EntraException(
                EntraErrorCode.GrantStoreLocked,
                $"The grant store file '{storePath}' is held by another live gate (its lock '{path}' is taken); one store has one writer",
                exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new EntraException(EntraErrorCode.GrantStoreDamaged, $"The grant store's lock file '{path}' cannot be opened: {exception.Message}", exception);
        }
    }

    /// <summary>Deletes what saves killed before their rename left behind (<c>&lt;file&gt;.tmp-*</c>); only the holder may.</summary>
    public static int RemoveLeftovers(string storePath)
    {
        var directory = Path.GetDirectoryName(storePath)!;
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var leftover in Directory.EnumerateFiles(directory, Path.GetFileName(storePath) + ".tmp-*"))
        {
            try
            {
                File.Delete(leftover);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A left-over file is harmless and never read; the next start tries again.
            }
        }

        return removed;
    }

    /// <summary>Releases the lock (the lock file stays: deleting it would race a gate that just opened it).</summary>
    public void Dispose() => _held.Dispose();
}
