using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>What a queued change does to a location.</summary>
internal enum ChangeVerb
{
    /// <summary>Adds an address (<c>grant</c>, <c>script add</c>).</summary>
    Add,

    /// <summary>Removes an address (<c>revoke</c>, <c>script del</c>).</summary>
    Del,

    /// <summary>Removes every address (<c>flush</c>, <c>script flush</c>); the sentinel remains.</summary>
    Flush,
}

/// <summary>
/// One change a command asked for: a verb and the address exactly as the caller gave it. The address goes through
/// the grant address policy when the change is queued and again when it is applied, so a queued file can never put
/// more into the location than a caller could (a planted <c>add 32.0.0.0/9</c> is refused).
/// </summary>
/// <param name="Verb">What it does.</param>
/// <param name="Address">A bare address; null for <see cref="ChangeVerb.Flush"/>.</param>
internal sealed record QueuedChange(ChangeVerb Verb, string? Address)
{
    /// <summary>Gets the verb as commands and files spell it.</summary>
    public string VerbText => Verb switch
    {
        ChangeVerb.Add => "add",
        ChangeVerb.Del => "del",
        _ => "flush",
    };

    /// <summary>The network the change adds or removes, by <paramref name="policy"/>, as <c>GrantAsync</c> decides it.</summary>
    /// <param name="policy">The grant address policy.</param>
    /// <returns>The network; null for a flush.</returns>
    /// <exception cref="EntraException">ENTRA059: the address is not one the policy grants, or it is the sentinel's.</exception>
    public Cidr? Network(GrantAddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Verb == ChangeVerb.Flush)
        {
            return null;
        }

        var network = policy.GetGrantNetwork(Address!);
        return network.Contains(LocationEditor.Sentinel) || LocationEditor.Sentinel.Contains(network)
            ? throw new EntraException(EntraErrorCode.GrantRefused, $"{network} is the sentinel, which stands for nothing granted")
            : network;
    }
}

/// <summary>A queued change read back from its file, with the network the policy gives it.</summary>
/// <param name="Stem">The file's name without extension: its queue order and its owner's identity.</param>
/// <param name="Change">The change.</param>
/// <param name="Network">Its network, null for a flush.</param>
internal sealed record QueuedItem(string Stem, QueuedChange Change, Cidr? Network)
{
    /// <summary>Applies the change to the ranges a location holds (the sentinel aside).</summary>
    /// <param name="held">The ranges.</param>
    /// <returns>The ranges after the change.</returns>
    public CidrSet ApplyTo(CidrSet held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return Change.Verb switch
        {
            ChangeVerb.Add => held.Union(CidrSet.Create(Network!.Value)),
            ChangeVerb.Del => held.Except(CidrSet.Create(Network!.Value)),
            _ => CidrSet.Empty,
        };
    }
}
