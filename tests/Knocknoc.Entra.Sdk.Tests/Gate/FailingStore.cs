
namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>A store in memory whose saves fail on demand, as a full or read-only disk, or a database that times out, makes them.</summary>
internal sealed class FailingStore : IGrantStore
{
    public FailingStore(GrantStoreSnapshot? initial = null) => Saved = initial;

    /// <summary>Gets or sets a value indicating whether saves fail (with <see cref="Failure"/>).</summary>
    public bool Throw { get; set; }

    public Exception Failure { get; set; } = new IOException("No space left on device");

    /// <summary>Gets the last snapshot saved: what a restart would load.</summary>
    public GrantStoreSnapshot? Saved { get; private set; }

    public int FailedSaves { get; private set; }

    public Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new GrantStoreLoadResult(Saved ?? GrantStoreSnapshot.Empty, []));

    public Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (Throw)
        {
            FailedSaves++;
            throw Failure;
        }

        Saved = snapshot;
        return Task.CompletedTask;
    }
}
