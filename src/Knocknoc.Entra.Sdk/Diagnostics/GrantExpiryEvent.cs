using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>A grant a gate let expire (<see cref="EntraEventObserver.OnGrantExpired"/>).</summary>
public sealed class GrantExpiryEvent
{
    /// <summary>Gets the gate's name.</summary>
    public required string Gate { get; init; }

    /// <summary>Gets the grant's id, as the caller gave it.</summary>
    public required string GrantId { get; init; }

    /// <summary>Gets the network the grant held.</summary>
    public required Cidr Network { get; init; }

    /// <summary>Gets when the grant was due to expire.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
