using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// What each ENTRA code is called, what an operator should check and how the SDK logs it, in the words of Knocknoc's
/// own documentation: one table, one row per code, read by exception messages, logs and docs/error-codes.md's test.
/// </summary>
public static class EntraErrorCatalog
{
    private const string UnknownDescription = "Unknown Entra error";
    private const string UnknownAdvice = "See docs/error-codes.md.";

    private static readonly EntraErrorEntry[] Rows =
    [
        new(
            EntraErrorCode.ConnectionFailed,
            "Failed to connect to Microsoft Graph",
            "Check DNS, routing and firewalls from this host to the sign-in host and the Graph host (outbound TCP 443).",
            LogLevel.Error),
        new(
            EntraErrorCode.AuthenticationFailed,
            "Microsoft Entra authentication failed",
            "Check the tenant id, the client id and the client secret's value (not its id), and whether the secret has expired (Certificates & secrets).",
            LogLevel.Error),
        new(
            EntraErrorCode.AuthorizationFailed,
            "Microsoft Entra authorization failed",
            "Grant the application permissions Policy.Read.All and Policy.ReadWrite.ConditionalAccess (application, not delegated) and grant admin consent.",
            LogLevel.Error),
        new(
            EntraErrorCode.TlsFailure,
            "Microsoft Graph TLS/SSL certificate error",
            "A TLS-intercepting proxy or a stale CA bundle is in the path; trust the right CA, never disable validation.",
            LogLevel.Error),
        new(
            EntraErrorCode.Timeout,
            "Microsoft Graph connection timed out",
            "Check connectivity and latency from this host to Microsoft Graph; the request timeouts are options.",
            LogLevel.Error),
        new(
            EntraErrorCode.Throttled,
            "Microsoft Graph API throttled",
            "The tenant is over the Conditional Access API limit (1 request per second for all apps together); other tools writing Conditional Access objects share it.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationReadFailed,
            "Failed to get Entra Named Location",
            "See the HTTP status and Graph error code; the request id identifies the call to Microsoft support.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationUpdateFailed,
            "Failed to update Entra Named Location",
            "Graph's reason is given; a malformed or too wide CIDR, too many ranges, or a concurrent modification are the usual causes.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationNotFound,
            "Entra Named Location not found",
            "Compare the configured named location id with the one in the portal (Conditional Access > Named locations); it may have been deleted or be in another tenant.",
            LogLevel.Error),
        new(
            EntraErrorCode.NotAnIpNamedLocation,
            "Entra Named Location is not an IP-based location",
            "The configured location is a countries location; create an IP ranges location and configure its id.",
            LogLevel.Error),
        new(
            EntraErrorCode.UnexpectedResponse,
            "Invalid or unexpected response from Microsoft Graph",
            "A proxy or captive portal may be altering responses; check the network path to Microsoft Graph.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationCreateFailed,
            "Failed to create Entra Named Location",
            "Graph's reason is given; the tenant holds at most 195 named locations, and each needs a name and at least one range.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationDeleteFailed,
            "Failed to delete Entra Named Location",
            "A trusted location must be marked untrusted before it can be deleted, and one referenced by a policy cannot be.",
            LogLevel.Error),
        new(
            EntraErrorCode.PolicyReadFailed,
            "Failed to read Conditional Access policies",
            "Read the status and Graph's message; retry later for a 5xx; check the network path for an answer without Graph's JSON. A missing Policy.Read.All is ENTRA002, not ENTRA057.",
            LogLevel.Error),
        new(
            EntraErrorCode.CapacityExceeded,
            "Entra Named Location capacity exceeded",
            "The exact cover of the granted addresses would exceed the location's range limit (2,000 or the configured cap); ranges are never widened to fit. Revoke grants, spread ACLs over more locations, or lower grant lifetimes.",
            LogLevel.Error),
        new(
            EntraErrorCode.GrantRefused,
            "Unsafe or invalid grant refused",
            "Grant only public unicast host addresses with an expiry in the future; allow a private or documentation range by name in the options if it truly must be granted.",
            LogLevel.Error),
        new(
            EntraErrorCode.NameGuardMismatch,
            "Entra Named Location is not managed by this agent",
            "The location's display name does not pass the configured name guard; configure the right location id or rename the location.",
            LogLevel.Error),
        new(
            EntraErrorCode.NamedLocationNameAmbiguous,
            "Entra Named Location name is ambiguous",
            "Several named locations share the configured display name; configure the location by id instead.",
            LogLevel.Error),
        new(
            EntraErrorCode.GrantStoreDamaged,
            "Grant store is damaged",
            "The grant store could not be read whole: a truncated or altered file keeps every valid grant and the gate removes nothing from Entra until the host reconciles or flushes; an unreadable file stops the start. Check the disk, the file's permissions and what else writes it.",
            LogLevel.Error),
        new(
            EntraErrorCode.GrantStoreUnwritable,
            "Grant store cannot be written",
            "The change was not acknowledged because it could not be made durable; revocations still reach Entra. Free space on the store's disk and check that it is writable (for the shared PostgreSQL store: that the database is reachable and takes the agent's writes), then retry the call.",
            LogLevel.Error),
        new(
            EntraErrorCode.GrantStoreLocked,
            "Grant store is held by another process",
            "Another live gate or process holds this store; give each gate its own store file, or stop the other process first.",
            LogLevel.Error),
        new(
            EntraErrorCode.StateFileQuarantined,
            "State file set aside",
            "A damaged or planted file was moved aside and ignored; look at the quarantined file named in the message and at who can write the state directory.",
            LogLevel.Warning),
        new(
            EntraErrorCode.StateDirectoryUnsafe,
            "State directory is not safe",
            "State the tool trusts must be writable by the running user alone: fix the owner and mode named in the message (chmod 700 for directories, 600 for files), or choose another state directory.",
            LogLevel.Error),
        new(
            EntraErrorCode.SessionRevocationFailed,
            "Failed to revoke the user's sign-in sessions",
            "Grant the app the application permission User.RevokeSessions.All and an administrator's consent; a user that no longer exists (404) is not retried. The gate keeps trying with backoff otherwise.",
            LogLevel.Error),
        new(
            EntraErrorCode.WhatIfEvaluationFailed,
            "Failed to evaluate Conditional Access (What If)",
            "Grant the app Policy.Read.ConditionalAccess (or Policy.Read.All) and check the user id, address and application id given; a 5xx is worth trying again later.",
            LogLevel.Error),
    ];

    private static readonly FrozenDictionary<EntraErrorCode, EntraErrorEntry> ByCode = Rows.ToFrozenDictionary(row => row.Code);

    /// <summary>Gets every row of the catalogue, one per code, in the order of the codes' numbers.</summary>
    internal static IReadOnlyList<EntraErrorEntry> Entries { get; } = Array.AsReadOnly(Rows);

    /// <summary>The code as operators see it, such as <c>ENTRA052</c>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The text form.</returns>
    public static string Format(EntraErrorCode code) => $"ENTRA{(int)code:000}";

    /// <summary>The one-line description of the code, such as "Entra Named Location not found".</summary>
    /// <param name="code">The code.</param>
    /// <returns>The description.</returns>
    public static string Describe(EntraErrorCode code) => ByCode.TryGetValue(code, out var row) ? row.Description : UnknownDescription;

    /// <summary>What to check first when the code appears.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The advice.</returns>
    public static string Advise(EntraErrorCode code) => ByCode.TryGetValue(code, out var row) ? row.Advice : UnknownAdvice;
}
