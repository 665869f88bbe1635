using System.Net;

namespace Knocknoc.Entra.Sdk;

/// <summary>One grant as the host wants it, for <c>ReconcileAsync</c>: the host's truth after an outage.</summary>
/// <param name="GrantId">The host's opaque key of the grant (a session or user id).</param>
/// <param name="Address">The user's address; an IPv4-mapped IPv6 address counts as IPv4.</param>
/// <param name="ExpiresAt">When the grant ends.</param>
public sealed record GrantRequest(string GrantId, IPAddress Address, DateTimeOffset ExpiresAt);
