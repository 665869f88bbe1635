using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>One row of the shared grant table.</summary>
/// <param name="GrantId">The host's key of the grant.</param>
/// <param name="Network">The network granted.</param>
/// <param name="ExpiresAt">When it ends.</param>
/// <param name="GrantedAt">When it was first granted.</param>
internal readonly record struct SharedGrant(string GrantId, Cidr Network, DateTimeOffset ExpiresAt, DateTimeOffset GrantedAt);
