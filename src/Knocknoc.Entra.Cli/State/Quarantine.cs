using Knocknoc.Entra.Sdk;


namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// Sets aside a damaged or foreign state file, so that one bad file never blocks an ACL: it is moved into the
/// <c>quarantine/</c> folder next to where it was (kept for a person to look at, never read again) and reported
/// as ENTRA065.
/// </summary>
internal static class Quarantine
{
    /// <summary>The folder's name.</summary>
    public const string DirectoryName = "quarantine";

    /// <summary>Moves <paramref name="path"/> into <paramref name="quarantine"/> and reports it.</summary>
    /// <param name="path">The file (or a directory, or a link: whatever does not belong).</param>
    /// <param name="quarantine">The quarantine folder (checked).</param>
    /// <param name="reason">What is wrong, as a phrase following the path.</param>
    /// <param name="report">Where the ENTRA065 message goes.</param>
    /// <returns>Where it is now.</returns>
    public static string SetAside(string path, string quarantine, string reason, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var target = Path.Combine(quarantine, Path.GetFileName(path));
        if (File.Exists(target) || Directory.Exists(target))
        {
            target = $"{target}.{Guid.NewGuid():N}";
        }

        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
        {
            Directory.Move(path, target);
        }
        else
        {
            File.Move(path, target);
        }

        DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
        DurableFile.SyncDirectory(quarantine);
        report(Message(path, reason, target));
        return target;
    }

    /// <summary>The ENTRA065 message for a file set aside.</summary>
    /// <param name="path">Where it was.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="target">Where it is now.</param>
    /// <returns>The message.</returns>
    public static string Message(string path, string reason, string target) =>
        new EntraException(EntraErrorCode.StateFileQuarantined, $"{path} {reason}; it was moved to {target} and ignored").Message;
}
