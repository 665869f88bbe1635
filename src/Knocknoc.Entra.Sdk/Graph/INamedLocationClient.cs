using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>
/// Conditional Access named locations and policies over raw Microsoft Graph v1.0 REST. Knows locations as
/// Graph spells them, nothing of grants. Every failure is an <see cref="EntraException"/> with its ENTRA
/// code; a caller's own cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
public interface INamedLocationClient
{
    /// <summary>Reads one named location of either kind.</summary>
    /// <param name="id">The location's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The location.</returns>
    Task<NamedLocation> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Reads one IP named location; ENTRA053 when it is a countries location, ENTRA052 when missing.</summary>
    /// <param name="id">The location's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The location.</returns>
    Task<IpNamedLocation> GetIpAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists every named location of the tenant, following Graph's pages.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The locations.</returns>
    Task<IReadOnlyList<NamedLocation>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an IP named location.</summary>
    /// <param name="displayName">Its name.</param>
    /// <param name="ipRanges">Its ranges: 1 to 2,000, none /8 or wider.</param>
    /// <param name="isTrusted">Whether to mark it trusted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created location as Graph returned it.</returns>
    Task<IpNamedLocation> CreateIpAsync(string displayName, IReadOnlyCollection<Cidr> ipRanges, bool isTrusted = false, CancellationToken cancellationToken = default);

    /// <summary>Replaces the IP ranges of a location (a PATCH of <c>ipRanges</c> only).</summary>
    /// <param name="id">The location's id.</param>
    /// <param name="ipRanges">The new ranges: 1 to 2,000, none /8 or wider.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Graph accepted the change.</returns>
    Task UpdateIpRangesAsync(string id, IReadOnlyCollection<Cidr> ipRanges, CancellationToken cancellationToken = default);

    /// <summary>Deletes a named location.</summary>
    /// <param name="id">The location's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Graph accepted the deletion.</returns>
    Task DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's Conditional Access policies (what diagnostics need of them).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policies.</returns>
    Task<IReadOnlyList<ConditionalAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the tenant's pacing that this client's requests take turns in, or null when the client does not pace
    /// (a client of your own, or one over a configured <see cref="HttpClient"/>). A gate waits until the tenant's
    /// next request could leave before it takes the snapshot it writes, so changes arriving meanwhile join that write.
    /// Internal: only the SDK's own client paces, and a decorator or fake keeps the default.
    /// </summary>
    internal TenantRateLimiter? Pacing => null;
}
