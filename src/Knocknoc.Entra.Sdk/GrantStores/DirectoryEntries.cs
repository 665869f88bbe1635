using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Makes a rename durable. A rename changes the directory, not the file: until the directory itself is flushed, a
/// power loss can bring back the old entry. .NET cannot open a directory to flush it, so on Unix this calls
/// <c>open</c>, <c>fsync</c> and <c>close</c> directly. Windows commits the rename with the file system's journal.
/// </summary>
internal static partial class DirectoryEntries
{
    private const int ReadOnly = 0;

    /// <summary>Flushes the directory's entries to disk; best effort, since the data itself already is.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            _ = FSync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
