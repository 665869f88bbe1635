using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// The few C library calls the state directory needs and .NET does not offer: a file's owner (<c>statx</c>), the
/// effective user, and flushing a directory to disk (.NET cannot open a directory).
/// </summary>
internal static partial class Libc
{
    /// <summary>Opens read-only.</summary>
    public const int ReadOnly = 0;

    /// <summary>Calls <c>statx(2)</c>.</summary>
    /// <param name="directory">The directory a relative path is resolved against (<c>AT_FDCWD</c> = -100).</param>
    /// <param name="path">The path.</param>
    /// <param name="flags">Flags such as <c>AT_SYMLINK_NOFOLLOW</c>.</param>
    /// <param name="mask">The fields wanted.</param>
    /// <param name="buffer">The 256-byte <c>struct statx</c>.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>Calls <c>geteuid(2)</c>.</summary>
    /// <returns>The effective user id.</returns>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint EffectiveUserId();

    /// <summary>Calls <c>open(2)</c>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="flags">The flags.</param>
    /// <returns>The descriptor, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    /// <summary>Calls <c>fsync(2)</c>.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int descriptor);

    /// <summary>Calls <c>close(2)</c>.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}
