using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// Owners and modes from Linux's <c>statx</c>, whose structure is laid out the same on every architecture (unlike
/// <c>stat</c>'s), and the effective user from <c>geteuid</c>.
/// </summary>
internal sealed class LinuxFileOwnership : IFileOwnership
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint WantTypeModeAndOwner = 0x1 | 0x2 | 0x8; // STATX_TYPE | STATX_MODE | STATX_UID
    private const int StatxSize = 256;
    private const int MaskOffset = 0;
    private const int OwnerOffset = 20;
    private const int ModeOffset = 28;
    private const int NoSuchEntry = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR
    private const int TypeBits = 0xF000; // S_IFMT
    private const int PermissionBits = 0xFFF;

    private LinuxFileOwnership()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static LinuxFileOwnership Instance { get; } = new();

    /// <inheritdoc/>
    public uint? CurrentUser => Libc.EffectiveUserId();

    /// <inheritdoc/>
    public FileFacts Inspect(string path)
    {
        var buffer = new byte[StatxSize];
        if (Libc.Statx(CurrentDirectory, path, NoFollow, WantTypeModeAndOwner, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is NoSuchEntry or NotADirectory
                ? FileFacts.Missing
                : throw new IOException($"{path} cannot be examined (statx failed with errno {error}).");
        }

        var span = buffer.AsSpan();
        var filled = MemoryMarshal.Read<uint>(span[MaskOffset..]);
        if ((filled & WantTypeModeAndOwner) != WantTypeModeAndOwner)
        {
            throw new IOException($"{path} cannot be examined: the file system does not report its owner and mode.");
        }

        var owner = MemoryMarshal.Read<uint>(span[OwnerOffset..]);
        var mode = MemoryMarshal.Read<ushort>(span[ModeOffset..]);
        var kind = (mode & TypeBits) switch
        {
            0x8000 => FileKind.File,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
        return new FileFacts(kind, owner, (UnixFileMode)(mode & PermissionBits));
    }
}
