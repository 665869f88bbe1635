namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>The <see cref="Microsoft.Extensions.Logging.EventId"/>s of a gate's own log entries (1110-1199).</summary>
public static class GateEventId
{
    /// <summary>1110, Information: the gate started (location, grants restored, grants expired while down).</summary>
    public const int GateStarted = 1110;

    /// <summary>1111, Information: a write of the location confirmed (ranges, added, removed, time).</summary>
    public const int LocationWritten = 1111;

    /// <summary>1112, Warning: a write failed; the changes are kept and tried again after the delay.</summary>
    public const int WriteWillRetry = 1112;

    /// <summary>1113, Warning: the location was changed outside the gate; the gate's state is written back.</summary>
    public const int DriftFound = 1113;

    /// <summary>1114, Error: the grant store could not be saved; tried again.</summary>
    public const int StoreSaveFailed = 1114;

    /// <summary>1115, Error: an unexpected failure in the write loop; it goes on.</summary>
    public const int GateLoopFailed = 1115;

    /// <summary>1116, Debug: a read older than one already seen was ignored.</summary>
    public const int StaleReadIgnored = 1116;

    /// <summary>1117, Warning: a grant was undone because the store could not save it (ENTRA063).</summary>
    public const int GrantUndone = 1117;

    /// <summary>1118, Warning: at a start, a stored grant gone from the location was not restored.</summary>
    public const int GrantRemovedInEntra = 1118;

    /// <summary>1119, Warning: a revocation left its address allowed (other grants or kept ranges cover it).</summary>
    public const int RevokedAddressStays = 1119;

    /// <summary>1120, Information: the gate ended the sign-in sessions of a user whose last grant ended (opt-in).</summary>
    public const int SessionsRevoked = 1120;

    /// <summary>1121, Warning: ending a user's sign-in sessions failed; tried again after the delay.</summary>
    public const int SessionRevocationWillRetry = 1121;

    /// <summary>1122, Warning: the gate gave up ending a user's sessions: Entra does not know the user.</summary>
    public const int SessionRevocationAbandoned = 1122;

    /// <summary>1123, Information: a start came inside the consistency window after the last write; it reads again once reads can be trusted.</summary>
    public const int StartDeferred = 1123;

    /// <summary>1124, Warning: the gate stopped before it could end a user's sign-in sessions; nothing resumes it.</summary>
    public const int SessionRevocationLeftAtStop = 1124;
}
