using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>
/// Keeps a location's expiry record in step with the changes a command makes, under the location's lock. A grant
/// with an expiry is recorded before it is queued, so a process that dies after its grant landed still leaves the
/// address to expire (the safe way round); once answered, the record is settled: a grant that found the address
/// already held without an expiry leaves it so (of two grants, the later expiry wins, and none is the latest), a
/// grant without an expiry clears the address's, and a revoke or flush clears what it removed.
/// </summary>
/// <param name="location">The location's state.</param>
/// <param name="policy">The grant address policy.</param>
/// <param name="time">The clock of the lock's polls.</param>
/// <param name="report">Where an ENTRA065 message goes.</param>
internal sealed class ExpiryKeeper(LocationState location, GrantAddressPolicy policy, TimeProvider time, Action<string> report)
{
    private DateTimeOffset? _before;

    /// <summary>Records the expiry of a grant about to be queued (nothing for other changes).</summary>
    /// <param name="change">The change.</param>
    /// <param name="network">Its network.</param>
    /// <param name="expires">When the grant expires; null when it does not.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>A task.</returns>
    public Task BeforeAsync(QueuedChange change, Cidr? network, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Verb != ChangeVerb.Add || expires is not { } until
            ? Task.CompletedTask
            : EditAsync(
                expiries =>
                {
                    _before = expiries.Entries.TryGetValue(network!.Value, out var earlier) ? earlier : null;
                    return expiries.Until(network.Value, until);
                },
                cancellationToken);
    }

    /// <summary>Settles the record once the change is answered.</summary>
    /// <param name="change">The change.</param>
    /// <param name="network">Its network (null for a flush).</param>
    /// <param name="expires">When a grant expires; null when it does not.</param>
    /// <param name="applied">The answer: applied, or null when the change failed or was withdrawn.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>When the address now expires (null when it stays until revoked, or for other changes).</returns>
    public async Task<DateTimeOffset?> AfterAsync(QueuedChange change, Cidr? network, DateTimeOffset? expires, ChangeApplied? applied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        DateTimeOffset? result = null;
        await EditAsync(
            expiries =>
            {
                switch (change.Verb)
                {
                    case ChangeVerb.Flush when applied is not null:
                        return AddressExpiries.None;
                    case ChangeVerb.Del when applied is not null:
                        return expiries.Without([network!.Value]);
                    case ChangeVerb.Add when expires is null && applied is not null:
                        return expiries.Without([network!.Value]);
                    case ChangeVerb.Add when expires is not null && (applied is null || (_before is null && !applied.Added.Contains(network!.Value))):
                        // Failed: the record goes back as it was. Already held without an expiry: it stays so.
                        var restored = expiries.Without([network!.Value]);
                        return _before is { } earlier ? restored.Until(network.Value, earlier) : restored;
                    case ChangeVerb.Add when expires is not null:
                        result = expiries.Entries.TryGetValue(network!.Value, out var until) ? until : null;
                        return expiries;
                    default:
                        return expiries;
                }
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task EditAsync(Func<AddressExpiries, AddressExpiries> edit, CancellationToken cancellationToken)
    {
        using var held = await location.LockAsync(time, cancellationToken).ConfigureAwait(false);
        var expiries = location.ReadExpiries(policy, report);
        var edited = edit(expiries);
        if (!ReferenceEquals(edited, expiries))
        {
            location.WriteExpiries(edited);
        }
    }
}
