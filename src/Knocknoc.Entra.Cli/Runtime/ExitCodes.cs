using Knocknoc.Entra.Sdk;


namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// The tool's exit codes, the same for every command and documented in the README: a script can tell a mistake on
/// its own command line (2) from a wrong configuration (3), Entra refusing or failing (4, 5), a refused address (6)
/// and the local state (7), without parsing a message. The ENTRA code itself is always on standard error.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and reports a failure of its own: a <c>doctor</c> check failed, the demo's expectation failed, the emulator could not start.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown command or option, a missing argument, a bad value. One line names the option.</summary>
    public const int Usage = 2;

    /// <summary>The configuration (file, environment, options) is incomplete or wrong, or the secret or certificate cannot be read.</summary>
    public const int Configuration = 3;

    /// <summary>Entra could not be reached or refused the app: ENTRA000-049 (connection, sign-in, permission, TLS, timeout, throttling).</summary>
    public const int EntraAccess = 4;

    /// <summary>The named location: ENTRA050-057, 060, 061 (not found, not an IP location, the name guard, ambiguous, a read or write Graph rejected).</summary>
    public const int EntraLocation = 5;

    /// <summary>The address or change was refused as asked: ENTRA058 (capacity), ENTRA059 (not a public host); trying again will not help.</summary>
    public const int Refused = 6;

    /// <summary>The local state: ENTRA062-066 (the state directory unsafe, a file quarantined, a store damaged, locked or unwritable).</summary>
    public const int State = 7;

    /// <summary>A failure the tool did not expect: a bug, reported with its type (and its stack trace at <c>--log-level debug</c>).</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of an ENTRA error, by its code's family.</summary>
    /// <param name="code">The code.</param>
    /// <returns><see cref="EntraAccess"/>, <see cref="EntraLocation"/>, <see cref="Refused"/> or <see cref="State"/>.</returns>
    public static int For(EntraErrorCode code) => code switch
    {
        < EntraErrorCode.NamedLocationReadFailed => EntraAccess,
        EntraErrorCode.CapacityExceeded or EntraErrorCode.GrantRefused => Refused,
        >= EntraErrorCode.GrantStoreDamaged => State,
        _ => EntraLocation,
    };
}
