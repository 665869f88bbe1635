using System.Collections.Immutable;

namespace Knocknoc.Entra.Sdk;

/// <summary>What a reconciliation changed in the gate's grants.</summary>
/// <param name="Added">Grant ids that were new.</param>
/// <param name="Updated">Grant ids whose address or expiry moved.</param>
/// <param name="Unchanged">Grant ids already exactly so.</param>
/// <param name="Removed">Grant ids the host no longer has, revoked.</param>
/// <param name="Refused">Requests refused (unsafe address, past expiry, capacity), each with its typed error; nothing of them was applied.</param>
public sealed record ReconcileResult(int Added, int Updated, int Unchanged, int Removed, ImmutableArray<RefusedGrant> Refused);

/// <summary>A grant request a reconciliation refused, and why.</summary>
/// <param name="Request">The request.</param>
/// <param name="Error">The typed error (ENTRA058 or ENTRA059).</param>
public sealed record RefusedGrant(GrantRequest Request, EntraException Error);
