using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Gate;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Grants;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Defects a review found in the gate, each kept as the scenario that showed it: backoff, stale reads under shared
/// ownership, durability of a damaged store's protection, unexpected failures of a client or a store, disposal.
/// </summary>
public class GateReviewRegressionTests
{
    [Test]
    public async Task A_write_failing_for_long_keeps_its_backoff_when_a_drift_check_falls_due()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => { o.RetryBaseDelay = TimeSpan.FromSeconds(30); o.RetryMaxDelay = TimeSpan.FromMinutes(10); });
        bed.Application.Permissions = GraphPermissions.PolicyReadAll;
        Assert.CatchAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8)));
        var before = bed.Patches;
        var t0 = bed.Now;

        // Move past the drift check (5 min) in 10 s steps; backoff 30s..10min would allow only a handful of tries.
        for (var i = 0; i < 60; i++)
        {
            bed.Time.Skip(TimeSpan.FromSeconds(10));
            await Task.Delay(20);
        }

        await Task.Delay(500);
        Assert.That(bed.Patches - before, Is.LessThan(15), $"backoff of 30 s doubling to 10 min over {(bed.Now - t0).TotalMinutes:0} emulated minutes");
    }

    [Test]
    public async Task A_drift_check_waiting_for_reads_to_be_trusted_ends_when_the_gate_is_disposed()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var check = gate.CheckDriftAsync(); // waits for ReadAfterWriteDelay (60 s) to pass
        await Task.Delay(100);
        await gate.DisposeAsync();
        var done = await Task.WhenAny(check, Task.Delay(10_000)) == check;
        Assert.That(done, Is.True, "not left hanging");
        Assert.CatchAsync<ObjectDisposedException>(() => check);
    }

    [Test]
    public async Task Shared_ownership_without_a_store_is_refused_since_a_restart_would_take_its_own_ranges_for_others()
    {
        await using var bed = new GateTestBed();

        var error = Assert.Throws<ArgumentException>(() => bed.CreateGate(o => { o.Ownership = LocationOwnership.Shared; o.Store = null; }))!;

        Assert.That(error.Message, Does.Contain("Shared ownership needs a Store"));
    }

    [Test]
    public async Task A_client_failing_unexpectedly_fails_the_waiting_call_with_a_typed_error_and_keeps_the_change()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new FakeClient { ThrowOnUpdate = new InvalidOperationException("boom") };
        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = FakeClient.Id, TimeProvider = time, AddressPolicy = GateTestBed.DocumentationPolicy }, client);
        await gate.StartAsync();
        var grant = gate.GrantAsync("alice", "203.0.113.7", time.GetUtcNow().AddDays(3650));
        var error = Assert.CatchAsync<EntraException>(() => grant)!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationUpdateFailed));
        Assert.That(error.InnerException, Is.InstanceOf<InvalidOperationException>());
        Assert.That(gate.GetState().LastError, Is.Not.Null);
        Assert.That(gate.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public async Task A_revocation_that_splits_a_range_beyond_the_cap_is_still_written()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.MaxRanges = 2);
        foreach (var host in new[] { 0, 1, 2, 3, 5 })
        {
            await gate.GrantAsync($"g{host}", $"203.0.113.{host}", bed.Now.AddHours(8));
        }

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.0/30", "203.0.113.5/32" }));

        await gate.RevokeAsync("g1");

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.0/32", "203.0.113.2/31", "203.0.113.5/32" }), "the cap admits grants; it never holds a revocation back");
        Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("g9", "203.0.113.9", bed.Now.AddHours(8)), "over the cap, no new range is admitted");
    }

    [Test]
    public async Task A_grant_moving_onto_a_shared_address_is_checked_against_the_cap_too()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.MaxRanges = 2);
        foreach (var host in new[] { 0, 1, 2, 3, 5 })
        {
            await gate.GrantAsync($"g{host}", $"203.0.113.{host}", bed.Now.AddHours(8));
        }

        // g0 leaving .0 for .1 (which g1 holds) splits 203.0.113.0/30 into three ranges.
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("g0", "203.0.113.1", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(gate.GetState().Grants.Single(g => g.Id == "g0").Network, Is.EqualTo(Cidr.Parse("203.0.113.0/32")), "nothing changed");
    }

    [Test]
    public async Task Beyond_Graphs_2000_ranges_a_revoked_address_still_leaves_and_grants_are_left_out_instead()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var random = new Random(3);
        var scattered = Enumerable.Range(0, 1_999)
            .Select(i => new GrantRequest($"s{i}", IPAddress.Parse($"45.{i / 200}.{i % 200}.{1 + (2 * random.Next(100))}"), bed.Now.AddHours(8)))
            .DistinctBy(r => r.Address)
            .ToList();
        var block = Enumerable.Range(0, 256).Select(i => new GrantRequest($"b{i}", IPAddress.Parse($"198.51.100.{i}"), bed.Now.AddHours(8)));
        await gate.ReconcileAsync([.. scattered, .. block]);
        var before = bed.EntraSet;

        await gate.RevokeAsync("b77");

        Assert.That(bed.Entra, Has.Count.EqualTo(2_000));
        Assert.That(bed.EntraSet.Contains(Cidr.Parse("198.51.100.77/32")), Is.False, "the revoked address left");
        Assert.That(bed.EntraSet.IsSubsetOf(before), Is.True, "nothing wider was written: fail closed");
        Assert.That(gate.GetState().LastError?.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
    }

    [Test]
    public async Task Shared_ownership_forgets_its_old_entries_so_another_writer_may_add_the_same_range_later()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "203.0.113.9", bed.Now.AddDays(3));
        await gate.RevokeAsync("alice");

        bed.Time.Skip(TimeSpan.FromDays(1));
        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.9/32", "203.0.113.7/32"]);
        bed.Time.Skip(TimeSpan.FromMinutes(6));
        await gate.CheckDriftAsync();
        await gate.GrantAsync("carol", "198.51.100.1", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.7/32", "203.0.113.9/32", "198.51.100.1/32" }), "a day later, 203.0.113.7 is the other writer's");
    }

    [Test]
    public async Task Shared_ownership_never_takes_a_long_held_grant_of_its_own_for_another_writers()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "198.51.100.200", bed.Now.AddDays(2));

        // A day with no write at all: the memory of sent entries forgets, but alice still holds the address.
        bed.Time.Skip(TimeSpan.FromDays(1));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task A_client_failing_unexpectedly_on_a_read_fails_the_drift_check_with_a_typed_error()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new FakeClient();
        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = FakeClient.Id, TimeProvider = time }, client);
        await gate.StartAsync();
        client.ThrowOnGet = new InvalidOperationException("boom");

        var error = Assert.CatchAsync<EntraException>(() => gate.CheckDriftAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationReadFailed));
    }

    [Test]
    public async Task Reconcile_ends_an_id_with_any_refused_request_whatever_the_order()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        await gate.ReconcileAsync([new("alice", IPAddress.Parse("10.0.0.1"), bed.Now.AddHours(8)), new("alice", IPAddress.Parse("203.0.113.8"), bed.Now.AddHours(8))]);

        Assert.That(gate.GetState().Grants, Is.Empty);
    }

    [Test]
    public async Task Disposing_during_a_start_ends_the_start_and_every_call_queued_behind_it()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new FakeClient { GetGate = new TaskCompletionSource() };
        var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = FakeClient.Id, TimeProvider = time }, client);
        var first = gate.StartAsync();
        await client.Reading.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the start is reading the location (a hang guard, not a timing)
        var second = gate.RevokeAsync("x");
        await gate.DisposeAsync();
        client.GetGate.SetResult();
        Assert.CatchAsync<OperationCanceledException>(() => first);
        Assert.CatchAsync<ObjectDisposedException>(() => second);
    }

    [Test]
    public async Task Reconcile_ends_a_grant_whose_requested_expiry_has_passed()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var result = await gate.ReconcileAsync([new GrantRequest("alice", IPAddress.Parse("198.51.100.9"), bed.Now.AddSeconds(-1))]);
        Assert.That(result.Refused.Single().Error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(gate.GetState().Grants, Is.Empty, "the host's truth has no live alice");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task Others_ranges_count_against_the_cap_and_nothing_above_it_is_ever_sent()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => { o.Ownership = LocationOwnership.Shared; o.MaxRanges = 3; });
        await gate.GrantAsync("a", "203.0.113.1", bed.Now.AddHours(8));
        await gate.GrantAsync("b", "203.0.113.3", bed.Now.AddHours(8));
        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.1/32", "203.0.113.3/32", "198.51.100.0/24", "198.51.102.0/24"]);
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("a");
        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("a", "203.0.113.1", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.CapacityExceeded));
        Assert.That(bed.Entra, Has.Count.LessThanOrEqualTo(3));
        Assert.That(bed.Entra, Is.SupersetOf(new[] { "198.51.100.0/24", "198.51.102.0/24" }), "the other writer's ranges stay as written");
    }

    [Test]
    public async Task The_last_write_time_is_when_the_write_landed_not_its_first_try()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        bed.Emulator.FailNext(EmulatedFault.TooManyRequests, 3);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var landed = bed.Emulator.Journal.Last(e => e.Method == "PATCH" && e.Status == 204).Time;
        var first = bed.Emulator.Journal.First(e => e.Method == "PATCH").Time;
        Assert.That(landed, Is.GreaterThan(first));
        Assert.That(gate.GetState().LastWriteAt, Is.GreaterThanOrEqualTo(landed));
    }

    [Test]
    public async Task Shared_ownership_never_adopts_a_revoked_address_of_its_own_from_a_stale_read()
    {
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(90));
        bed.Time.Advance(TimeSpan.FromMinutes(5));
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        bed.Time.Advance(TimeSpan.FromMinutes(5));
        await gate.RevokeAsync("alice");
        bed.Time.Advance(TimeSpan.FromSeconds(61));
        await gate.CheckDriftAsync();
        Assert.That(gate.GetState().KeptRanges, Does.Not.Contain(Cidr.Parse("203.0.113.7/32")));
        await gate.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(8));
        bed.Time.Advance(TimeSpan.FromMinutes(10));
        await gate.CheckDriftAsync();
        await gate.RevokeAsync("bob");
        Assert.That(bed.Entra, Does.Not.Contain("203.0.113.7/32"));
    }

    [Test]
    public async Task Shared_ownership_after_a_restart_never_takes_a_still_granted_range_of_its_own_for_another_writers()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        var first = await StoreLackingAStillGrantedRangeAsync(bed);

        // Reads are trusted again: the restarted gate classes what it reads, with no memory of sending 203.0.113.7.
        bed.Time.Skip(TimeSpan.FromMinutes(2));
        var second = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        Assert.That(second.GetState().KeptRanges, Is.EqualTo(new[] { Cidr.Parse("198.51.100.0/24") }), "alice's address is the gate's own");

        await second.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EqualTo(new[] { "198.51.100.0/24" }), "the last grant holding the address ended; the other writer's range stays");
    }

    [Test]
    public async Task Shared_ownership_after_a_restart_removes_its_own_range_whose_grant_expired_while_the_host_was_down()
    {
        await using var bed = new GateTestBed(initialRanges: ["192.0.2.0/32", "198.51.100.0/24"]);
        await StoreLackingAStillGrantedRangeAsync(bed);

        // alice's grant (8 h) ends while no gate runs.
        bed.Time.Skip(TimeSpan.FromHours(9));
        var second = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);

        Assert.That(second.GetState().KeptRanges, Is.EqualTo(new[] { Cidr.Parse("198.51.100.0/24") }), "the expired grant's address was the gate's own");
        Assert.That(await bed.EntraBecomesAsync("198.51.100.0/24"), Is.True, string.Join(", ", bed.Entra));
    }

    /// <summary>
    /// A shared gate whose store holds alice's grant of 203.0.113.7 but not that address among its owned ranges: two
    /// grants share it (a NAT address), the memory of sent entries forgets it after a quiet while, and bob's revocation
    /// saves the store with no write. The gate is disposed.
    /// </summary>
    private static async Task<NamedLocationGate> StoreLackingAStillGrantedRangeAsync(GateTestBed bed)
    {
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await gate.GrantAsync("bob", "203.0.113.7", bed.Now.AddHours(8));
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "198.51.100.0/24", "203.0.113.7/32" }));

        // Beyond the memory of sent entries (10 min) with no write: the drift check forgets 203.0.113.7 as sent.
        bed.Time.Skip(TimeSpan.FromMinutes(11));
        await gate.CheckDriftAsync();
        var patches = bed.Patches;
        await gate.RevokeAsync("bob");
        await gate.DisposeAsync();

        Assert.That(bed.Patches, Is.EqualTo(patches), "bob leaving changed nothing in Entra");
        Assert.That(bed.Store.Snapshot.Grants.Select(g => g.GrantId), Is.EqualTo(new[] { "alice" }));
        Assert.That(bed.Store.Snapshot.OwnedRanges, Does.Not.Contain(Cidr.Parse("203.0.113.7/32")), "the store was saved after the memory forgot the address");
        return gate;
    }

    private sealed class FakeClient : INamedLocationClient
    {
        public const string Id = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

        public Exception? ThrowOnUpdate { get; set; }

        public Exception? ThrowOnGet { get; set; }

        public TaskCompletionSource? GetGate { get; set; }

        /// <summary>Set once a read has started (and, with <see cref="GetGate"/>, waits there).</summary>
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Updates;

        public Task<NamedLocation> GetAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async Task<IpNamedLocation> GetIpAsync(string id, CancellationToken cancellationToken = default)
        {
            Reading.TrySetResult();
            if (GetGate is { } g)
            {
                await g.Task.WaitAsync(cancellationToken);
            }

            if (ThrowOnGet is { } failure)
            {
                throw failure;
            }

            return new IpNamedLocation(Id, "knocknoc_x", null, null, false, [Cidr.Parse("192.0.2.0/32")]);
        }

        public Task<IReadOnlyList<NamedLocation>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IpNamedLocation> CreateIpAsync(string displayName, IReadOnlyCollection<Cidr> ipRanges, bool isTrusted = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task UpdateIpRangesAsync(string id, IReadOnlyCollection<Cidr> ipRanges, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Updates);
            return ThrowOnUpdate is { } e ? Task.FromException(e) : Task.CompletedTask;
        }

        public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ConditionalAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
