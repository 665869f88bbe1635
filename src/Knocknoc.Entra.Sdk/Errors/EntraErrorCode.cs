namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The structured error codes of Knocknoc's Entra integration, shown as <c>(agent error #ENTRA0NN)</c>.
/// 000-049 are connection and authentication, 050-099 named-location operations. The numeric value is the
/// code's number; the <see cref="Microsoft.Extensions.Logging.EventId"/> of the log entry reporting it is 2000 plus
/// that number (<see cref="Diagnostics.FailureEventId.For"/>).
/// </summary>
public enum EntraErrorCode
{
    /// <summary>ENTRA000: Microsoft Graph or the sign-in host could not be reached (DNS, refused connection, routing).</summary>
    ConnectionFailed = 0,

    /// <summary>ENTRA001: the app could not sign in (wrong tenant, client id or secret; expired secret).</summary>
    AuthenticationFailed = 1,

    /// <summary>ENTRA002: signed in, but not allowed (missing permission or admin consent; HTTP 403).</summary>
    AuthorizationFailed = 2,

    /// <summary>ENTRA003: the TLS handshake failed (an intercepting proxy, a stale CA bundle).</summary>
    TlsFailure = 3,

    /// <summary>ENTRA004: a request timed out.</summary>
    Timeout = 4,

    /// <summary>ENTRA005: Graph kept throttling the tenant after every retry.</summary>
    Throttled = 5,

    /// <summary>ENTRA050: reading the named location failed with a status other than 404.</summary>
    NamedLocationReadFailed = 50,

    /// <summary>ENTRA051: Graph rejected the update of the named location.</summary>
    NamedLocationUpdateFailed = 51,

    /// <summary>ENTRA052: the named location does not exist (deleted, or in another tenant).</summary>
    NamedLocationNotFound = 52,

    /// <summary>ENTRA053: the named location is a country location, not an IP location.</summary>
    NotAnIpNamedLocation = 53,

    /// <summary>ENTRA054: Graph's answer was not the JSON expected (a proxy page, a truncated or altered body).</summary>
    UnexpectedResponse = 54,

    /// <summary>ENTRA055: Graph rejected the creation of a named location.</summary>
    NamedLocationCreateFailed = 55,

    /// <summary>ENTRA056: Graph rejected the deletion of a named location.</summary>
    NamedLocationDeleteFailed = 56,

    /// <summary>ENTRA057: reading the Conditional Access policies failed.</summary>
    PolicyReadFailed = 57,

    /// <summary>ENTRA058: a grant was refused because the location's exact cover would exceed its range capacity.</summary>
    CapacityExceeded = 58,

    /// <summary>ENTRA059: a grant was refused as unsafe or invalid (a private, loopback or reserved address, a past expiry).</summary>
    GrantRefused = 59,

    /// <summary>ENTRA060: the named location is not one this gate may manage (its display name fails the name guard).</summary>
    NameGuardMismatch = 60,

    /// <summary>ENTRA061: more than one named location has the configured display name.</summary>
    NamedLocationNameAmbiguous = 61,

    /// <summary>ENTRA062: the grant store is damaged or unreadable; valid grants were kept.</summary>
    GrantStoreDamaged = 62,

    /// <summary>ENTRA063: a change could not be made durable in the grant store (a full, read-only or failing disk); the call failed.</summary>
    GrantStoreUnwritable = 63,

    /// <summary>ENTRA064: the grant store is held by another live gate or process; one store has one writer.</summary>
    GrantStoreLocked = 64,

    /// <summary>ENTRA065: a damaged or foreign file in the state directory was set aside (quarantined) and not used.</summary>
    StateFileQuarantined = 65,

    /// <summary>ENTRA066: the state directory or a file in it is not owned by the running user, or others can write it.</summary>
    StateDirectoryUnsafe = 66,

    /// <summary>ENTRA067: ending a user's sign-in sessions (<c>revokeSignInSessions</c>) failed; the gate tries again with backoff.</summary>
    SessionRevocationFailed = 67,

    /// <summary>ENTRA068: Entra's What If evaluation of the Conditional Access policies (<c>conditionalAccess/evaluate</c>) failed.</summary>
    WhatIfEvaluationFailed = 68,
}
