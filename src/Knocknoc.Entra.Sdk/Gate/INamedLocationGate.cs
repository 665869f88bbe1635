using System.Net;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Keeps one Entra IP named location equal to the addresses a host's users are entitled to right now: grants with
/// expiries, shared addresses (the last grant out turns off the lights), one coalesced write at a time within the
/// tenant's rate limit. Safe for concurrent use; every call waits for the gate to start.
/// </summary>
/// <remarks>
/// A call that changes grants completes when the change is in Entra, throws an <see cref="EntraException"/>
/// when the write failed, or throws <see cref="OperationCanceledException"/> when its token is cancelled. Either way
/// an accepted change is kept and written once Graph allows: cancelling or a failure stops the wait, not the change.
/// Refused input (ENTRA058, ENTRA059) changes nothing.
/// </remarks>
public interface INamedLocationGate : IAsyncDisposable
{
    /// <summary>Gets the gate's name (its key among several gates in one process).</summary>
    string Name { get; }

    /// <summary>
    /// Loads the store, resolves and checks the location (ENTRA052, 053, 060, 061), applies the expiries missed while
    /// the host was down and starts the write loop. Idempotent; a failed start is tried again by the next call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the gate runs.</returns>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Grants <paramref name="address"/> to <paramref name="grantId"/> until <paramref name="expiresAt"/>, moving the id's earlier grant.</summary>
    /// <param name="grantId">The host's opaque key of the session or user.</param>
    /// <param name="address">The user's public address.</param>
    /// <param name="expiresAt">When the grant ends; must be in the future.</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>The grant, once its network is in Entra.</returns>
    Task<Grant> GrantAsync(string grantId, IPAddress address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Grants an address given as text (strictly parsed: a bare IPv4 or IPv6 address).</summary>
    /// <param name="grantId">The host's opaque key of the session or user.</param>
    /// <param name="address">The user's public address as text.</param>
    /// <param name="expiresAt">When the grant ends; must be in the future.</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>The grant, once its network is in Entra.</returns>
    Task<Grant> GrantAsync(string grantId, string address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Grants <paramref name="address"/> to <paramref name="grantId"/> for <paramref name="lifetime"/> from now, moving the id's earlier grant.</summary>
    /// <remarks>
    /// A default method, so implementations written before it keep compiling: it reads <see cref="TimeProvider.System"/>.
    /// <see cref="NamedLocationGate"/> overrides it to read the gate's own clock (<see cref="NamedLocationGateOptions.TimeProvider"/>),
    /// as an implementation with a clock of its own should.
    /// </remarks>
    /// <param name="grantId">The host's opaque key of the session or user.</param>
    /// <param name="address">The user's public address.</param>
    /// <param name="lifetime">How long the grant lasts; must be positive (ENTRA059 otherwise).</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>The grant, once its network is in Entra.</returns>
    Task<Grant> GrantAsync(string grantId, IPAddress address, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        GrantAsync(grantId, address, GrantLifetime.ExpiryAfter(TimeProvider.System.GetUtcNow(), lifetime), cancellationToken);

    /// <summary>Grants an address given as text (strictly parsed: a bare IPv4 or IPv6 address) for <paramref name="lifetime"/> from now.</summary>
    /// <remarks>A default method, as the <see cref="IPAddress"/> overload is.</remarks>
    /// <param name="grantId">The host's opaque key of the session or user.</param>
    /// <param name="address">The user's public address as text.</param>
    /// <param name="lifetime">How long the grant lasts; must be positive (ENTRA059 otherwise).</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>The grant, once its network is in Entra.</returns>
    Task<Grant> GrantAsync(string grantId, string address, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        GrantAsync(grantId, address, GrantLifetime.ExpiryAfter(TimeProvider.System.GetUtcNow(), lifetime), cancellationToken);

    /// <summary>
    /// Ends a grant; its address leaves the location unless something else still allows it, which the result names.
    /// Revoking an unknown id is a no-op (<see cref="RevokeResult.NotFound"/>).
    /// </summary>
    /// <param name="grantId">The grant's id.</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>
    /// Once Entra reflects it: whether a grant ended and whether its address left the location
    /// (<see cref="RevokeResult.AddressRemoved"/>) or is still allowed by another grant or a kept range.
    /// </returns>
    Task<RevokeResult> RevokeAsync(string grantId, CancellationToken cancellationToken = default);

    /// <summary>Ends every grant; the location then holds only the sentinel (and others' ranges in shared ownership).</summary>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>How many grants were ended, once Entra reflects it.</returns>
    Task<int> FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes the gate's grants exactly <paramref name="grants"/> (the host's truth after an outage), in one write.</summary>
    /// <param name="grants">Every grant the host holds; a later duplicate id wins.</param>
    /// <param name="cancellationToken">Stops the wait for the write.</param>
    /// <returns>What changed and what was refused, once Entra reflects it.</returns>
    Task<ReconcileResult> ReconcileAsync(IEnumerable<GrantRequest> grants, CancellationToken cancellationToken = default);

    /// <summary>Reads the location now (when a read can be trusted) and rewrites it if it was edited behind the gate's back.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>A task that completes when Entra was checked and, if needed, corrected.</returns>
    Task CheckDriftAsync(CancellationToken cancellationToken = default);

    /// <summary>What the gate holds and knows, without calling Graph.</summary>
    /// <returns>A consistent snapshot.</returns>
    NamedLocationGateState GetState();
}
