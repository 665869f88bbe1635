namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The <see cref="Microsoft.Extensions.Logging.EventId"/>s of the audit trail (1100-1109): who held which address
/// when. Route them to wherever the audit trail lives.
/// </summary>
public static class AuditEventId
{
    /// <summary>1100, Information: a grant added (gate, grant id, network, expiry).</summary>
    public const int GrantAdded = 1100;

    /// <summary>1101, Information: a grant moved to another network.</summary>
    public const int GrantMoved = 1101;

    /// <summary>1102, Information: a grant revoked (also each grant a flush or a reconciliation ends).</summary>
    public const int GrantRevoked = 1102;

    /// <summary>1103, Information: a grant expired, also one that expired while the host was down.</summary>
    public const int GrantExpired = 1103;

    /// <summary>1104, Information: every grant flushed.</summary>
    public const int GrantsFlushed = 1104;

    /// <summary>1105, Information: a reconciliation (added, updated, unchanged, removed, refused).</summary>
    public const int GrantsReconciled = 1105;
}
