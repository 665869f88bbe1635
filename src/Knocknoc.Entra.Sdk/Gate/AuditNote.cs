using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>What happened to a grant, for the audit log (events 1100-1103, 1117, 1118).</summary>
internal enum AuditKind
{
    Added,
    Moved,
    Revoked,
    Expired,
    Undone,
    RemovedInEntra,
}

/// <summary>
/// One audit event the core decided on; the driver writes it to the log. The core keeps them in order and never logs
/// itself, so it stays free of I/O.
/// </summary>
internal readonly record struct AuditNote(AuditKind Kind, string GrantId, Cidr Network, Cidr Previous, long ExpiresAtMs);
