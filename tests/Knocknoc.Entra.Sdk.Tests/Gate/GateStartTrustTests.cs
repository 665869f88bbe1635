
namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A start inside Graph's consistency window after the last write (issue 11): its read may show an older version, so
/// no decision that can put an address back or drop a grant is taken on it. Reads lag 30 s behind writes here,
/// deterministically (the version older than the window); a new location lags too, so each test first waits that out.
/// </summary>
public class GateStartTrustTests
{
    private static GateTestBed LaggingBed()
    {
        var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(30));
        bed.Time.Skip(TimeSpan.FromMinutes(1));
        return bed;
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_restart_on_a_damaged_store_at_once_after_a_revocation_never_preserves_the_revoked_address(bool storeLostWriteTime)
    {
        await using var bed = LaggingBed();
        var first = await bed.StartGateAsync();
        await first.GrantAsync("alice", "198.51.100.20", bed.Now.AddHours(8));
        await first.GrantAsync("bob", "203.0.113.7", bed.Now.AddHours(8));
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        await first.RevokeAsync("alice");
        await first.DisposeAsync();
        Assert.That(bed.Entra, Does.Not.Contain("198.51.100.20/32"));

        // The store is damaged (and may have lost the time of the last write); a read now still shows alice.
        var snapshot = bed.Store.Snapshot;
        var damaged = new DamagedStore(storeLostWriteTime ? snapshot with { LastWriteAt = null } : snapshot);
        var second = await bed.StartGateAsync(o => o.Store = damaged);
        await second.GrantAsync("carol", "203.0.113.50", bed.Now.AddHours(8));

        Assert.That(second.GetState().KeptRanges.Select(r => r.ToString()), Does.Not.Contain("198.51.100.20/32"), "a revoked address is not preserved");
        Assert.That(bed.Entra, Does.Not.Contain("198.51.100.20/32"), "the revocation is not undone");
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "203.0.113.7/32", "203.0.113.50/32" }), "a damaged store still removes nothing Entra holds");
    }

    [Test]
    public async Task A_restart_at_once_after_a_revocation_whose_save_failed_never_restores_the_grant()
    {
        // Reads lag 15 s here. The failed save is retried after a minute, not at once: the clock stands still.
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(15));
        bed.Time.Skip(TimeSpan.FromMinutes(1));
        var store = new FailingStore();
        var first = await bed.StartGateAsync(o =>
        {
            o.Store = store;
            o.RetryBaseDelay = TimeSpan.FromMinutes(1);
        });
        await first.GrantAsync("alice", "198.51.100.20", bed.Now.AddHours(8));

        // Past the emulator's window, inside the gate's (60 s from the last write the store recorded).
        bed.Time.Skip(TimeSpan.FromSeconds(20));

        // The disk fails: the revocation still reaches Entra, and its call says the store is behind.
        store.Throw = true;
        var error = Assert.ThrowsAsync<EntraException>(async () => await first.RevokeAsync("alice"));
        Assert.That(error!.Code, Is.EqualTo(EntraErrorCode.GrantStoreUnwritable));
        Assert.That(bed.Entra, Does.Not.Contain("198.51.100.20/32"));
        await first.DisposeAsync();

        // The disk is back; the host restarts at once, and a read now still shows alice.
        store.Throw = false;
        var second = await bed.StartGateAsync(o => o.Store = store);
        await second.GrantAsync("carol", "203.0.113.50", bed.Now.AddHours(8));

        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "carol" }), "alice is not restored");
        Assert.That(bed.Entra, Does.Not.Contain("198.51.100.20/32"), "the revocation is not undone");
    }

    [Test]
    public async Task A_restart_at_once_after_a_grant_was_written_keeps_the_grant()
    {
        await using var bed = LaggingBed();
        var first = await bed.StartGateAsync();
        await first.GrantAsync("alice", "198.51.100.20", bed.Now.AddHours(8));
        await first.DisposeAsync();

        // A read now still shows the location before alice's write.
        var second = await bed.StartGateAsync();
        await second.GrantAsync("carol", "203.0.113.50", bed.Now.AddHours(8));

        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EquivalentTo(new[] { "alice", "carol" }), "alice's live grant is kept");
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "198.51.100.20/32", "203.0.113.50/32" }));
    }

    /// <summary>A store that loads with a problem (a line failed its checksum), as a damaged file does.</summary>
    private sealed class DamagedStore(GrantStoreSnapshot snapshot) : IGrantStore
    {
        private GrantStoreSnapshot _snapshot = snapshot;

        public Task<GrantStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new GrantStoreLoadResult(_snapshot, ["line 3: checksum mismatch"]));

        public Task SaveAsync(GrantStoreSnapshot snapshot, CancellationToken cancellationToken = default)
        {
            _snapshot = snapshot;
            return Task.CompletedTask;
        }
    }
}
