namespace Knocknoc.Entra.Cli.State;

/// <summary>
/// Where the tool keeps its state when <c>state_dir</c> is not set, by each platform's convention for a program's
/// own state, so that it is the running user's alone (never a fixed name in a shared temporary directory, which
/// another user can create first).
/// </summary>
internal static class StateDirectoryDefault
{
    /// <summary>The directory's name under a per-user or per-system state root.</summary>
    public const string Name = "knocknoc-entra";

    /// <summary>The system-wide state directory of a tool run as root.</summary>
    public const string SystemDirectory = "/var/lib/" + Name;

    /// <summary>Chooses the default state directory.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="isRoot">Whether the tool runs as root (effective uid 0).</param>
    /// <param name="isWindows">Whether it runs on Windows.</param>
    /// <returns>
    /// On Windows <c>%LOCALAPPDATA%\knocknoc-entra</c>. Elsewhere <c>$STATE_DIRECTORY</c> (the first one) when systemd
    /// set it for a service with <c>StateDirectory=</c>; else for root <c>/var/lib/knocknoc-entra</c>; else
    /// <c>$XDG_STATE_HOME/knocknoc-entra</c>, or <c>~/.local/state/knocknoc-entra</c> (the XDG default). Null when none
    /// applies (no home directory).
    /// </returns>
    public static string? Choose(Func<string, string?> environment, bool isRoot, bool isWindows)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (isWindows)
        {
            return Absolute(environment("LOCALAPPDATA")) is { } local ? Path.Combine(local, Name) : null;
        }

        // systemd passes every StateDirectory= entry, separated by colons; the first is the service's own.
        if (Absolute(environment("STATE_DIRECTORY")?.Split(':')[0]) is { } service)
        {
            return service;
        }

        if (isRoot)
        {
            return SystemDirectory;
        }

        // The XDG base directory specification: a relative value is invalid and must be ignored.
        if (Absolute(environment("XDG_STATE_HOME")) is { } xdg)
        {
            return Path.Combine(xdg, Name);
        }

        return Absolute(environment("HOME")) is { } home && home != "/" ? Path.Combine(home, ".local", "state", Name) : null;
    }

    private static string? Absolute(string? path) =>
        !string.IsNullOrWhiteSpace(path) && Path.IsPathFullyQualified(path) ? path : null;
}
