using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Shared;

/// <summary>What a change did to the shared table, once the location's writer confirmed Entra holds it.</summary>
/// <param name="GrantId">The grant's id in the table (its network's text), null for a flush.</param>
/// <param name="Network">The network granted or revoked, null for a flush.</param>
/// <param name="Changed">Whether the table changed (a revocation of an address the table does not hold does not).</param>
/// <param name="Ended">How many grants ended (revoke: 0 or 1; flush: every live one).</param>
/// <param name="StillGrantedTo">The grants still holding a revoked address (agents' grants of the same network).</param>
/// <param name="ByThisProcess">Whether this process was the location's writer when the change was confirmed.</param>
internal sealed record SharedOutcome(string? GrantId, Cidr? Network, bool Changed, int Ended, IReadOnlyList<string> StillGrantedTo, bool ByThisProcess);

/// <summary>
/// A change of <c>grant</c>, <c>revoke</c>, <c>flush</c> or <c>script</c> made through the shared table. The tool's
/// grants are keyed by their network (<c>203.0.113.7/32</c>), so <c>grant</c> and <c>script add</c> of one address
/// are one grant, and <c>revoke</c> ends it; grants of agent hosts (their own ids) are theirs to end, or a flush's.
/// </summary>
internal static class SharedChange
{
    /// <summary>How long a withdrawal waits: it only needs the table's change, made before the writer is waited for.</summary>
    private static readonly TimeSpan WithdrawalWait = TimeSpan.FromSeconds(5);

    /// <summary>Makes <paramref name="change"/> through the table and waits until the writer has it in Entra.</summary>
    /// <param name="location">The started agent.</param>
    /// <param name="change">The change.</param>
    /// <param name="network">Its network by the address policy (null for a flush).</param>
    /// <param name="expires">When a grant ends; null: never.</param>
    /// <param name="warn">Reports a grant that could not be withdrawn.</param>
    /// <param name="cancellationToken">Stops the wait; a grant is then withdrawn.</param>
    /// <returns>What the change did.</returns>
    /// <exception cref="EntraException">The change failed or waited longer than <see cref="ChangeRunner.Patience"/>; a grant is withdrawn first.</exception>
    public static async Task<SharedOutcome> RunAsync(SharedLocation location, QueuedChange change, Cidr? network, DateTimeOffset? expires, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(warn);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ChangeRunner.Patience);
        var gate = location.Gate;
        var grantId = network?.ToString();
        try
        {
            switch (change.Verb)
            {
                case ChangeVerb.Add:
                    await location.CallAsync(agent => agent.GrantAsync(grantId!, change.Address!, expires ?? DateTimeOffset.MaxValue, patience.Token)).ConfigureAwait(false);
                    return new SharedOutcome(grantId, network, true, 0, [], gate.IsWriter);
                case ChangeVerb.Del:
                    var revoked = await location.CallAsync(agent => agent.RevokeAsync(grantId!, patience.Token)).ConfigureAwait(false);
                    return new SharedOutcome(grantId, network, revoked.Revoked, revoked.Revoked ? 1 : 0, revoked.StillGrantedTo, gate.IsWriter);
                default:
                    var ended = await location.CallAsync(agent => agent.FlushAsync(patience.Token)).ConfigureAwait(false);
                    return new SharedOutcome(null, null, ended > 0, ended, [], gate.IsWriter);
            }
        }
        catch (Exception error) when (change.Verb == ChangeVerb.Add && error is EntraException or OperationCanceledException)
        {
            // As the local queue takes a failed change back: a grant reported as failed must not take effect later.
            await WithdrawAsync(location, grantId!, warn).ConfigureAwait(false);
            if (error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw TooLong(grantId!, "withdrawn: it will not be applied");
            }

            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A removal stays in the table: the writer applies it when it can, which is the safe direction.
            throw TooLong(grantId ?? "flush", "kept in the shared table: the location's writer applies it when it can");
        }
    }

    private static async Task WithdrawAsync(SharedLocation location, string grantId, Action<string> warn)
    {
        using var wait = new CancellationTokenSource(WithdrawalWait);
        try
        {
            await location.Gate.RevokeAsync(grantId, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The table's change is made before the wait for the writer: the grant is out of the table.
        }
        catch (EntraException error)
        {
            warn($"the failed grant {grantId} could not be withdrawn from the shared table ({error.CodeText}): it may still take effect; revoke it when the database is back");
        }
    }

    private static EntraException TooLong(string what, string outcome) => new(
        EntraErrorCode.NamedLocationUpdateFailed,
        $"{what} waited {ChangeRunner.Patience.TotalMinutes} minutes for the location's writer to confirm it and was {outcome}");
}
