namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Where a gate keeps its grants so they survive a restart. A gate calls its store from one write loop at a time:
/// implementations need not be thread-safe for one gate, but must not be shared by two live gates.
/// </summary>
public interface IGrantStore
{
    /// <summary>Reads the stored state, keeping every valid part of a damaged store and saying what was wrong.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovered snapshot and the problems found.</returns>
    Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored state; when this completes, the snapshot survives a crash of the process.</summary>
    /// <param name="snapshot">The whole state to keep.</param>
    /// <param name="cancellationToken">Cancels the save; the previous state then stays whole.</param>
    /// <returns>A task that completes when the snapshot is durable.</returns>
    Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default);
}
