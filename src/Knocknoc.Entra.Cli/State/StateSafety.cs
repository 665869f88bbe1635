using System.Globalization;
using Knocknoc.Entra.Sdk;

namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// The rule for everything the tool trusts in its state directory: it must be what it should be (a directory or a
/// regular file, never a symbolic link), owned by the user the tool runs as, and writable by nobody else. Whatever
/// another user could write, another user could have planted.
/// </summary>
/// <param name="ownership">Reads owners and modes.</param>
internal sealed class StateSafety(IFileOwnership ownership)
{
    /// <summary>Mode of the directories the tool creates: the running user only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Mode of the files the tool creates: the running user only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Gets the safety of this system: owners from the kernel on Linux, modes elsewhere on Unix.</summary>
    public static StateSafety ForThisSystem { get; } = new(OperatingSystem.IsLinux() ? LinuxFileOwnership.Instance : new PortableFileOwnership());

    /// <summary>Gets what reads owners and modes.</summary>
    public IFileOwnership Ownership => ownership;

    /// <summary>Says why <paramref name="path"/> cannot be trusted as a <paramref name="expected"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="expected">A file or a directory.</param>
    /// <returns>What is wrong, as a phrase following the path (<c>is owned by uid 1001, ...</c>); null when it can be trusted.</returns>
    public string? Problem(string path, FileKind expected) => Problem(ownership.Inspect(path), expected);

    /// <summary>Says why a path with <paramref name="facts"/> cannot be trusted as a <paramref name="expected"/>.</summary>
    /// <param name="facts">What the path is.</param>
    /// <param name="expected">A file or a directory.</param>
    /// <returns>What is wrong, or null.</returns>
    public string? Problem(FileFacts facts, FileKind expected)
    {
        if (facts.Kind != expected)
        {
            return facts.Kind switch
            {
                FileKind.Missing => "does not exist",
                FileKind.SymbolicLink => "is a symbolic link, which the tool never follows in its state",
                FileKind.Directory => "is a directory, not a file",
                FileKind.File => "is a file, not a directory",
                _ => "is a device, socket or pipe",
            };
        }

        if (ownership.CurrentUser is { } me)
        {
            if (facts.Owner is not { } owner)
            {
                return "has an owner that cannot be read";
            }

            if (owner != me)
            {
                return string.Create(CultureInfo.InvariantCulture, $"is owned by uid {owner}, not by the user running the tool (uid {me})");
            }
        }

        return (facts.Mode & WritableByOthers) != 0
            ? $"can be written by {((facts.Mode & WritableByOthers) == WritableByOthers ? "its group and others" : (facts.Mode & UnixFileMode.GroupWrite) != 0 ? "its group" : "others")} (mode {Octal(facts.Mode)})"
            : null;
    }

    /// <summary>Creates a directory (mode 700) if it is missing, then checks it.</summary>
    /// <param name="path">The directory.</param>
    /// <exception cref="EntraException">ENTRA066: it cannot be trusted.</exception>
    public void EnsureDirectory(string path)
    {
        if (ownership.Inspect(path).Kind == FileKind.Missing)
        {
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(path);
                }
                else
                {
                    Directory.CreateDirectory(path, DirectoryMode);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new EntraException(EntraErrorCode.StateDirectoryUnsafe, $"{path} cannot be created: {error.Message}", error);
            }
        }

        RequireDirectory(path);
    }

    /// <summary>Checks a directory.</summary>
    /// <param name="path">The directory.</param>
    /// <exception cref="EntraException">ENTRA066: it cannot be trusted.</exception>
    public void RequireDirectory(string path)
    {
        if (Problem(path, FileKind.Directory) is { } problem)
        {
            throw Unsafe(path, problem);
        }
    }

    /// <summary>The error for state that cannot be trusted.</summary>
    /// <param name="path">The path.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <returns>ENTRA066, naming both.</returns>
    public static EntraException Unsafe(string path, string problem) =>
        new(EntraErrorCode.StateDirectoryUnsafe, $"{path} {problem}; nothing there is read or written");

    /// <summary>Formats permission bits as <c>chmod</c> does (<c>0775</c>).</summary>
    /// <param name="mode">The bits.</param>
    /// <returns>Four octal digits.</returns>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
