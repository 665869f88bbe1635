namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// Outside Linux: the modes .NET reads on any Unix, and no owner (.NET has no API for it). On Windows the state
/// directory lives in the user's profile, whose access list already keeps other users out.
/// </summary>
internal sealed class PortableFileOwnership : IFileOwnership
{
    /// <inheritdoc/>
    public uint? CurrentUser => null;

    /// <inheritdoc/>
    public FileFacts Inspect(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileFacts.Missing;
        }

        var kind = attributes.HasFlag(FileAttributes.ReparsePoint) ? FileKind.SymbolicLink
            : attributes.HasFlag(FileAttributes.Directory) ? FileKind.Directory
            : FileKind.File;
        var mode = OperatingSystem.IsWindows() || kind == FileKind.SymbolicLink ? UnixFileMode.None : File.GetUnixFileMode(path);
        return new FileFacts(kind, null, mode);
    }
}
