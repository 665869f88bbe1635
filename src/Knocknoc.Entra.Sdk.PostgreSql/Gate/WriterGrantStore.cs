using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// The store of the writer's own gate. It starts holding the table's live grants, so a takeover converges Entra to
/// the table in its first write (never through an empty list), and it is the writer's fence: the gate saves its store
/// before every PATCH, and this save fails (ENTRA063) once the writer's lease may have passed to another agent, so a
/// deposed writer sends no grant. (The SDK's gate still sends removals after a failed save: those only narrow.)
/// </summary>
internal sealed class WriterGrantStore(IEnumerable<SharedGrant> grants, Func<bool> leaseValid) : IGrantStore
{
    private readonly GrantStoreSnapshot _start = new()
    {
        Grants = [.. grants.Select(g => new StoredGrant(g.GrantId, g.Network, g.ExpiresAt, g.GrantedAt))],
    };

    public Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new GrantStoreLoadResult(_start, []));

    public Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default) =>
        leaseValid()
            ? Task.CompletedTask
            : Task.FromException(new EntraException(EntraErrorCode.GrantStoreUnwritable,
                "This agent's writer lease ran out: another agent may be the location's writer now."));
}
