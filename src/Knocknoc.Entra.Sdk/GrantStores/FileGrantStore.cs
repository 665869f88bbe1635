using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// A grant store in one file, so a gate's grants survive a restart of the process. A save replaces the file
/// atomically (a new file flushed to disk, then renamed over the old one), so a crash leaves the old state or the new
/// one, never a mix; a load keeps every intact record of a file damaged some other way and says what was wrong.
/// </summary>
/// <remarks>
/// <para>
/// The file is UTF-8 text, one record per line, each line ending in its own checksum (FNV-1a 32-bit, 8 hex digits)
/// so damage stays local to the lines it touches:
/// </para>
/// <code>
/// knocknoc-entra-grants 1 &lt;checksum&gt;
/// lastwrite &lt;unix ms&gt; &lt;checksum&gt;
/// owned &lt;cidr&gt; &lt;checksum&gt;
/// foreign &lt;cidr&gt; &lt;checksum&gt;
/// preserved &lt;cidr&gt; &lt;checksum&gt;
/// written &lt;cidr&gt; &lt;checksum&gt;
/// grant &lt;percent-escaped id&gt; &lt;cidr&gt; &lt;expires unix ms&gt; &lt;granted unix ms&gt; &lt;checksum&gt;
/// end &lt;number of records&gt; &lt;checksum&gt;
/// </code>
/// <para>
/// Times are kept to the millisecond (anything finer is truncated) and read back in UTC (offset zero); they denote
/// the same instants that were saved. Grant ids are kept exactly; they must be non-empty valid UTF-16 of at most
/// 7,168 characters in the worst case (64,512 when only letters, digits and <c>-._~</c>), so that a line stays under 64 KiB.
/// </para>
/// <para>
/// On Unix the file is created with mode 0600, since it lists who has access. Files over 256 MiB are refused on load
/// rather than read into memory. Saving and loading 100,000 grants each take a fraction of a second.
/// </para>
/// <para>
/// Like every <see cref="IGrantStore"/>, one instance serves one gate, and the store enforces it: a gate's start takes
/// an exclusive lock on <c>&lt;path&gt;.lock</c>, held until the gate stops (or the process dies), and a second gate on the
/// same file, in this process or another, fails its start with ENTRA064. The holder removes temporary files that saves
/// killed before their rename left behind.
/// </para>
/// </remarks>
public sealed class FileGrantStore : IGrantStore, IExclusiveGrantStore
{
    private readonly Lock _gate = new();
    private StoreLock? _lock;

    /// <summary>Creates a store kept in the file at <paramref name="path"/>; nothing is read or written until it is used.</summary>
    /// <param name="path">The file, absolute or relative to the current directory (resolved once, here). Its directory is created on the first save.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, blank, invalid, or names a directory rather than a file.</exception>
    public FileGrantStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // Resolved now so a later change of the current directory cannot move the store.
        var fullPath = System.IO.Path.GetFullPath(path);
        if (string.IsNullOrEmpty(System.IO.Path.GetFileName(fullPath)))
        {
            throw new ArgumentException($"'{ShownText.Of(path, 260)}' names a directory; the grant store needs a file name.", nameof(path));
        }

        Path = fullPath;
    }

    /// <summary>Gets the full path of the store's file.</summary>
    public string Path { get; }

    /// <summary>
    /// Reads the file. A missing file is an empty store with no problems (nothing was saved yet). A damaged file
    /// (truncated, altered, not a grant store at all) never throws: every intact record is kept and each damage is
    /// one line of <see cref="GrantStoreLoadResult.Problems"/>, such as <c>line 12: checksum mismatch</c>, with at
    /// most 100 listed and the rest counted.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovered snapshot and the problems found.</returns>
    /// <exception cref="EntraException">ENTRA062 (<see cref="EntraErrorCode.GrantStoreDamaged"/>): the file exists but cannot be read at all (permission denied, an I/O error); the message names the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FileStream stream;
        try
        {
            stream = new FileStream(Path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,

                // Delete sharing lets a save on Windows rename over the file while it is being read, as Unix always allows.
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,

                // The reader buffers itself, in large blocks.
                BufferSize = 0,
            });
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return new GrantStoreLoadResult(GrantStoreSnapshot.Empty, []);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(exception);
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await GrantStoreReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw Unreadable(exception);
            }
        }
    }

    /// <summary>
    /// Replaces the file with <paramref name="snapshot"/>: writes a new file next to it (<c>&lt;path&gt;.tmp-&lt;random&gt;</c>),
    /// flushes it to disk, then renames it over the old one. On any failure or cancellation the new file is deleted
    /// and the old one is left whole.
    /// </summary>
    /// <param name="snapshot">The whole state to keep.</param>
    /// <param name="cancellationToken">Cancels the save until the rename; the previous file then stays whole.</param>
    /// <returns>A task that completes when the snapshot is on disk under <see cref="Path"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="ArgumentException">A grant id is empty, not valid UTF-16, too long, or held by two grants; nothing was written.</exception>
    /// <exception cref="IOException">The file or its directory could not be written (a full disk, a read-only file system).</exception>
    /// <exception cref="UnauthorizedAccessException">Writing the directory is not permitted.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the previous file is unchanged.</exception>
    public async Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // Refuse what the format cannot hold before touching the disk, so a refused save changes nothing.
        GrantStoreWriter.Validate(snapshot);
        cancellationToken.ThrowIfCancellationRequested();

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);

        // Same directory, so the rename stays on one file system and is atomic; a random name, so a save never
        // opens a file left by a crashed one.
        var temporary = string.Concat(Path, ".tmp-", Guid.NewGuid().ToString("N"));
        try
        {
            var stream = new FileStream(temporary, CreateOptions());
            await using (stream.ConfigureAwait(false))
            {
                await GrantStoreWriter.WriteAsync(stream, snapshot, cancellationToken).ConfigureAwait(false);

                // The data must be on disk before the rename makes it the store, or a crash could leave an empty file.
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        // The rename is in the directory: flush that too, so a power loss cannot bring back the previous file.
        DirectoryEntries.Flush(System.IO.Path.GetDirectoryName(Path)!);
    }

    /// <inheritdoc/>
    void IExclusiveGrantStore.Acquire()
    {
        lock (_gate)
        {
            if (_lock is null)
            {
                _lock = StoreLock.Take(Path);
                StoreLock.RemoveLeftovers(Path);
            }
        }
    }

    /// <inheritdoc/>
    void IExclusiveGrantStore.Release()
    {
        lock (_gate)
        {
            _lock?.Dispose();
            _lock = null;
        }
    }

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,

            // The writer buffers itself, in large blocks.
            BufferSize = 0,
        };

        // Owner-only from creation, never readable by others even for a moment: the file lists who has access.
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
            // The original failure matters more; a left-over temporary file is harmless and never read.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private EntraException Unreadable(Exception exception) =>
        new(EntraErrorCode.GrantStoreDamaged, $"The grant store file '{Path}' cannot be read: {exception.Message}", exception);
}
