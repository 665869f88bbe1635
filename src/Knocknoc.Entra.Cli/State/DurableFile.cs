using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// Writes that survive a power loss whole or not at all: a new file (mode 600) written and flushed to disk, renamed
/// into place, then its directory flushed too, since a rename changes the directory and not the file. Without the
/// flushes a crash can leave an empty file under the final name (a rename reaches the disk before the data).
/// </summary>
internal static class DurableFile
{
    /// <summary>Creates a new file of the running user only (600), failing if the name is taken.</summary>
    /// <param name="path">The file.</param>
    /// <param name="share">
    /// How others may open it meanwhile; on Unix anything but <see cref="FileShare.None"/> also holds a shared
    /// <c>flock</c> on it for as long as the stream is open (.NET's mapping), which is how a writer shows it is alive.
    /// </param>
    /// <returns>The stream, for writing.</returns>
    public static FileStream CreateNew(string path, FileShare share)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = StateSafety.FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="content"/> durably.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">Its new content.</param>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreateNew(temporary, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(directory);
    }

    /// <summary>Flushes a directory's entries (renames, creations, deletions) to disk.</summary>
    /// <param name="directory">The directory.</param>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS commits renames through its journal; a directory cannot be opened for a flush.
            return;
        }

        var descriptor = Libc.Open(directory, Libc.ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"{directory} cannot be opened to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Libc.FSync(descriptor) != 0)
            {
                throw new IOException($"{directory} cannot be flushed to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Libc.Close(descriptor);
        }
    }
}
