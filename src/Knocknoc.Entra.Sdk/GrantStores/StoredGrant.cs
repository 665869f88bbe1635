using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>One grant as a store keeps it: who holds which network until when.</summary>
/// <param name="GrantId">The host's opaque key of the grant (a session or a user).</param>
/// <param name="Network">The granted network: a host (/32, /128) or, with widened IPv6 grants, a /64.</param>
/// <param name="ExpiresAt">When the grant ends without any call.</param>
/// <param name="GrantedAt">When the grant was first made (kept when the same id is granted again).</param>
public readonly record struct StoredGrant(string GrantId, Cidr Network, DateTimeOffset ExpiresAt, DateTimeOffset GrantedAt);
