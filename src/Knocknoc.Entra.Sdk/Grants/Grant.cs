using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>One active grant: the host's key for a session or user, the network it opens, and until when.</summary>
/// <param name="Id">The host's opaque key of the grant (a session or user id).</param>
/// <param name="Network">The granted network: the host address (/32, /128) or its widened IPv6 prefix.</param>
/// <param name="ExpiresAt">When the grant ends on its own, to the millisecond.</param>
/// <param name="GrantedAt">When the id was first granted; moving it to a new address keeps this.</param>
public sealed record Grant(string Id, Cidr Network, DateTimeOffset ExpiresAt, DateTimeOffset GrantedAt);
