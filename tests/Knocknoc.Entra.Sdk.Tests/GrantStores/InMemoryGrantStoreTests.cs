using static Knocknoc.Entra.Sdk.Tests.GrantStores.StoreFiles;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

public class InMemoryGrantStoreTests
{
    [Test]
    public async Task Starts_empty_and_loads_what_was_saved_last()
    {
        var store = new InMemoryGrantStore();
        var first = await store.LoadAsync();
        Assert.That(first.Snapshot, Is.SameAs(GrantStoreSnapshot.Empty));
        Assert.That(first.IsDamaged, Is.False);

        var snapshot = new GrantStoreSnapshot { Grants = [Grant("a", "192.0.2.1/32", 1)], LastWriteAt = Epoch };
        await store.SaveAsync(snapshot);
        await store.SaveAsync(snapshot with { LastWriteAt = Epoch.AddSeconds(1) });

        var loaded = await store.LoadAsync();
        Assert.That(loaded.Snapshot, Is.EqualTo(snapshot with { LastWriteAt = Epoch.AddSeconds(1) }));
        Assert.That(loaded.Problems, Is.Empty);
        Assert.That(store.Snapshot, Is.SameAs(loaded.Snapshot));
    }

    [Test]
    public async Task A_cancelled_save_keeps_the_previous_snapshot()
    {
        var store = new InMemoryGrantStore();
        var snapshot = new GrantStoreSnapshot { Grants = [Grant("a", "192.0.2.1/32", 1)] };
        await store.SaveAsync(snapshot);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await store.SaveAsync(GrantStoreSnapshot.Empty, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await store.LoadAsync(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await store.SaveAsync(null!), Throws.ArgumentNullException);
        Assert.That(store.Snapshot, Is.SameAs(snapshot));
    }
}
