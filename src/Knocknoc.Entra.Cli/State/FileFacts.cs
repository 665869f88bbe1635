namespace Knocknoc.Entra.Cli.State;

/// <summary>What a path is, as the checks of the state directory need it.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (never followed).</summary>
    SymbolicLink,

    /// <summary>A device, socket or pipe.</summary>
    Other,
}

/// <summary>A path's kind, owner and mode, read without following a final symbolic link.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Owner">The owner's user id; null where owners are not known (Windows, or a Unix other than Linux).</param>
/// <param name="Mode">The permission bits; none on Windows.</param>
internal readonly record struct FileFacts(FileKind Kind, uint? Owner, UnixFileMode Mode)
{
    /// <summary>Gets the facts of a path where nothing is.</summary>
    public static FileFacts Missing => new(FileKind.Missing, null, UnixFileMode.None);
}

/// <summary>
/// Who owns a path and who may write it. .NET reads modes but not owners, so the real one asks the kernel; tests
/// give a fake one to play a path owned by another user without needing one.
/// </summary>
internal interface IFileOwnership
{
    /// <summary>Gets the user id the tool runs as (the effective one), or null where owners are not checked.</summary>
    uint? CurrentUser { get; }

    /// <summary>Reads a path's facts without following a final symbolic link.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The facts; <see cref="FileFacts.Missing"/> when nothing is there.</returns>
    FileFacts Inspect(string path);
}
