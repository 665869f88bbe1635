namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The default store: keeps the last snapshot in memory, so it survives disposing and re-creating a gate in the same
/// process (tests, a host that rebuilds its gate) but not a restart of the process. Use <see cref="FileGrantStore"/>
/// for that.
/// </summary>
public sealed class InMemoryGrantStore : IGrantStore
{
    private GrantStoreSnapshot _snapshot = GrantStoreSnapshot.Empty;

    /// <summary>Gets the last saved snapshot.</summary>
    public GrantStoreSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <inheritdoc/>
    public Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new GrantStoreLoadResult(Snapshot, []));
    }

    /// <inheritdoc/>
    public Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        Volatile.Write(ref _snapshot, snapshot);
        return Task.CompletedTask;
    }
}
