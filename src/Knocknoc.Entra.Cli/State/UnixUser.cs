namespace Knocknoc.Entra.Cli.State;

/// <summary>The user the tool runs as, where it decides a default (root keeps its state in the system's directory).</summary>
internal static class UnixUser
{
    /// <summary>Gets a value indicating whether the tool runs as root (effective uid 0); never on Windows.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && Libc.EffectiveUserId() == 0;
}
