namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>The tool's exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed: an ENTRA error (its code is printed) or a check that did not pass.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (System.CommandLine's own parse errors also exit with 1).</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
