using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// What a revocation did, as Entra holds it when the call returns: whether a grant ended, and whether its address left
/// the location or is still allowed, and by what. A revocation never claims more than happened: an address another grant
/// of the gate shares (a NAT), or that a range the gate keeps covers (another writer's under shared ownership, or one a
/// damaged store made the gate keep until the host reconciles), stays, and the result names it.
/// </summary>
public sealed class RevokeResult
{
    private RevokeResult(Cidr? network, ImmutableArray<string> stillGrantedTo, ImmutableArray<Cidr> stillAllowedBy)
    {
        Network = network;
        StillGrantedTo = stillGrantedTo;
        StillAllowedBy = stillAllowedBy;
    }

    /// <summary>Gets the result of revoking an id the gate does not hold: nothing ended, nothing was written.</summary>
    public static RevokeResult NotFound { get; } = new(null, [], []);

    /// <summary>Gets a value indicating whether a grant was ended (false: the gate held no grant of that id).</summary>
    public bool Revoked => Network is not null;

    /// <summary>Gets the network the ended grant held; null when nothing was revoked.</summary>
    public Cidr? Network { get; }

    /// <summary>Gets the ids of the gate's other grants that still hold some of <see cref="Network"/> (a shared address).</summary>
    public ImmutableArray<string> StillGrantedTo { get; }

    /// <summary>
    /// Gets the location's entries that are not the gate's grants and still cover some of <see cref="Network"/>: another
    /// writer's ranges under <see cref="LocationOwnership.Shared"/>, or ranges kept because a damaged store could not
    /// account for them (they leave with <see cref="INamedLocationGate.ReconcileAsync"/>).
    /// </summary>
    public ImmutableArray<Cidr> StillAllowedBy { get; }

    /// <summary>
    /// Gets a value indicating whether the revoked address is out of the location: a grant ended and nothing else the gate
    /// knows of still allows any of its network. False when nothing was revoked.
    /// </summary>
    public bool AddressRemoved => Revoked && StillGrantedTo.IsEmpty && StillAllowedBy.IsEmpty;

    /// <summary>Describes the result without the other grants' ids (they are the host's keys, and may be personal).</summary>
    /// <returns>For example "revoked 203.0.113.7/32; still allowed: 1 other grant(s), 0 kept range(s)".</returns>
    public override string ToString() => Network is not { } network
        ? "nothing to revoke"
        : AddressRemoved
            ? $"revoked {network}; the address left the location"
            : $"revoked {network}; still allowed: {StillGrantedTo.Length} other grant(s), {StillAllowedBy.Length} kept range(s)";

    internal static RevokeResult Ended(Cidr network, ImmutableArray<string> stillGrantedTo, ImmutableArray<Cidr> stillAllowedBy) =>
        new(network, stillGrantedTo, stillAllowedBy);
}
