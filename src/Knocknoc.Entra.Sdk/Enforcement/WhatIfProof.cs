using System.Collections.Immutable;
using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Enforcement;

/// <summary>
/// What If for one user from two addresses, one inside the location and one outside: the policies whose verdict
/// differs are the ones the location decides. The setup is proven end to end when an enforced policy that references
/// the location is among them.
/// </summary>
/// <param name="LocationId">The location.</param>
/// <param name="InsideAddress">The address inside the location that was evaluated.</param>
/// <param name="OutsideAddress">The address outside every range of the location that was evaluated.</param>
/// <param name="Inside">What If's verdicts for a sign-in from <paramref name="InsideAddress"/>.</param>
/// <param name="Outside">What If's verdicts for a sign-in from <paramref name="OutsideAddress"/>.</param>
public sealed record WhatIfProof(string LocationId, IPAddress InsideAddress, IPAddress OutsideAddress, ImmutableArray<WhatIfPolicyResult> Inside, ImmutableArray<WhatIfPolicyResult> Outside)
{
    /// <summary>Addresses tried, in order, for a sign-in from outside the location: documentation ranges, never routed.</summary>
    private static readonly IPAddress[] OutsideCandidates =
        [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.1"), IPAddress.Parse("203.0.113.1"), IPAddress.Parse("2001:db8::1")];

    /// <summary>Gets the policies that apply from one address and not from the other.</summary>
    public ImmutableArray<ConditionalAccessPolicy> Deciding =>
        [.. Inside.Join(Outside, result => result.Policy.Id, result => result.Policy.Id, (inside, outside) => (inside, outside), StringComparer.OrdinalIgnoreCase)
            .Where(pair => pair.inside.PolicyApplies != pair.outside.PolicyApplies)
            .Select(pair => pair.inside.Policy)];

    /// <summary>Gets the policies What If could not decide from what the sign-in gave it (<c>notEnoughInformation</c>).</summary>
    public ImmutableArray<ConditionalAccessPolicy> Undecided =>
        [.. Inside.Concat(Outside).Where(result => result.NotEnoughInformation).Select(result => result.Policy).DistinctBy(policy => policy.Id, StringComparer.OrdinalIgnoreCase)];

    /// <summary>Gets a value indicating whether an enforced policy that references the location decides between the two addresses.</summary>
    public bool LocationDecides =>
        Deciding.Any(policy => policy.State == ConditionalAccessPolicyState.Enabled && policy.References(LocationId));

    /// <summary>Evaluates one user's sign-in from inside and from outside <paramref name="location"/> (two What If calls).</summary>
    /// <param name="client">The What If client (needs Policy.Read.ConditionalAccess).</param>
    /// <param name="location">The location, as read.</param>
    /// <param name="userId">The user: object id or user principal name.</param>
    /// <param name="applicationId">The application signed in to, or null for <see cref="WhatIfSignIn.DefaultApplicationId"/>.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The proof, to be read with <see cref="LocationDecides"/>.</returns>
    public static async Task<WhatIfProof> EvaluateAsync(IWhatIfClient client, IpNamedLocation location, string userId, string? applicationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var ranges = CidrSet.Create(location.IpRanges);

        // Any address of the location will do (with no grant, the sentinel): What If only asks whether it is inside.
        var inside = location.IpRanges.IsDefaultOrEmpty ? throw new ArgumentException("The location holds no range to sign in from.", nameof(location)) : location.IpRanges[0].BaseAddress;
        var outside = OutsideCandidates.First(candidate => !ranges.Contains(candidate));
        var app = applicationId ?? WhatIfSignIn.DefaultApplicationId;
        var fromInside = await client.EvaluateAsync(new WhatIfSignIn(userId, inside) { ApplicationId = app }, cancellationToken).ConfigureAwait(false);
        var fromOutside = await client.EvaluateAsync(new WhatIfSignIn(userId, outside) { ApplicationId = app }, cancellationToken).ConfigureAwait(false);
        return new WhatIfProof(location.Id, inside, outside, [.. fromInside], [.. fromOutside]);
    }
}
