namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// The tool's state directory: the queues of changes (<c>acl/ACL/</c> for the script backend, <c>location/ID/</c> for
/// <c>grant</c>, <c>revoke</c> and <c>flush</c>) and each location's lock and journal (<c>location/ID/</c>). Every
/// directory is created with mode 700 and checked (owner, mode, no symbolic link) before anything in it is used.
/// </summary>
internal sealed class StateDirectory
{
    private StateDirectory(string root, StateSafety safety)
    {
        Root = root;
        Safety = safety;
    }

    /// <summary>Gets the directory's full path.</summary>
    public string Root { get; }

    /// <summary>Gets the checks applied to everything in it.</summary>
    public StateSafety Safety { get; }

    /// <summary>Opens (creating, mode 700) and checks the state directory.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="safety">The checks.</param>
    /// <returns>The state directory.</returns>
    /// <exception cref="Knocknoc.Entra.Sdk.EntraException">ENTRA066: it cannot be trusted or created.</exception>
    public static StateDirectory Open(string path, StateSafety safety)
    {
        ArgumentNullException.ThrowIfNull(safety);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var facts = safety.Ownership.Inspect(root);
        if (facts.Kind == FileKind.SymbolicLink)
        {
            // An administrator may link the state to another disk; the link itself must then be theirs or root's,
            // or another user could point it elsewhere.
            if (safety.Ownership.CurrentUser is { } me && facts.Owner != me && facts.Owner != 0)
            {
                throw StateSafety.Unsafe(root, $"is a symbolic link owned by uid {facts.Owner}, neither the running user (uid {me}) nor root");
            }

            root = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;
        }

        safety.EnsureDirectory(root);
        return new StateDirectory(root, safety);
    }

    /// <summary>Whether <paramref name="name"/> can name a directory of the state (an ACL, a location id).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True for 1 to 100 letters, digits, '_', '-' and '.', not starting with '.'.</returns>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Creates (mode 700) and checks each directory on the way to <c>Root/parts...</c>.</summary>
    /// <param name="parts">Safe names (<see cref="IsSafeName"/>).</param>
    /// <returns>The directory's path.</returns>
    /// <exception cref="Knocknoc.Entra.Sdk.EntraException">ENTRA066: a directory on the way cannot be trusted.</exception>
    public string Directory(params string[] parts)
    {
        var path = Root;
        foreach (var part in parts)
        {
            if (!IsSafeName(part))
            {
                throw new ArgumentException("Not a safe name for the state directory.", nameof(parts));
            }

            path = Path.Combine(path, part);
            Safety.EnsureDirectory(path);
        }

        return path;
    }

    /// <summary>A path inside the state as it is recorded (relative, '/'-separated, the same on every platform).</summary>
    /// <param name="path">A path inside <see cref="Root"/>.</param>
    /// <returns>The relative path.</returns>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The full path of a recorded relative path.</summary>
    /// <param name="relative">The path as <see cref="Relative"/> gave it.</param>
    /// <returns>The full path.</returns>
    public string Resolve(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
