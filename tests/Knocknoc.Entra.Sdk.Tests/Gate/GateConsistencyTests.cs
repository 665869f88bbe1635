using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Eventual consistency and drift (point 8).</summary>
public class GateConsistencyTests
{
    [Test]
    public async Task An_edit_made_behind_the_gates_back_is_found_by_the_drift_check_and_undone()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        bed.Tenant.SetIpRanges(bed.Location.Id, ["203.0.113.7/32", "198.51.100.0/24"]);
        bed.Time.Skip(TimeSpan.FromMinutes(5));

        Assert.That(await bed.EntraBecomesAsync("203.0.113.7/32"), Is.True, string.Join(", ", bed.Entra));
        Assert.That(await Eventually.HoldsAsync(() => bed.Logs.Entries.Any(e => e.EventId.Id == 1113)), Is.True, "drift is logged");
    }

    [Test]
    public async Task Reads_that_may_predate_the_gates_own_write_are_never_used()
    {
        // Reads show older versions for 30 s, and flap; the gate distrusts reads for 60 s after its own write.
        await using var bed = new GateTestBed(o => { o.ConsistencyWindow = TimeSpan.FromSeconds(30); o.ConsistencyReadsFlap = true; });
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var written = bed.Emulator.Journal.Last(e => e.Method == "PATCH").Time;

        var check = gate.CheckDriftAsync();
        bed.Time.Skip(TimeSpan.FromSeconds(61));
        await check;

        var read = bed.Emulator.Journal.Last(e => e.IsGraph && e.Method == "GET");
        Assert.That(read.Time - written, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(60)), "emulated time, not a timing assertion");
        Assert.That(bed.Patches, Is.EqualTo(1), "a stale read would have looked like drift and caused a rewrite");
        Assert.That(bed.Logs.Entries.Any(e => e.EventId.Id == 1113), Is.False);
    }

    [Test]
    public async Task A_gate_restarted_soon_after_its_last_write_does_not_trust_its_first_read()
    {
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(30));
        bed.Time.Advance(TimeSpan.FromMinutes(1));
        var first = await bed.StartGateAsync();
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var written = bed.Emulator.Journal.Last(e => e.Method == "PATCH").Time;
        await first.DisposeAsync();

        // Reads now show the write, but the store says it is only 40 s old: too recent to trust any read. The start
        // decides nothing on it: it reads again once reads can be trusted, and decides on that read.
        bed.Time.Advance(TimeSpan.FromSeconds(40));
        var reads = bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "GET");
        var second = await bed.StartGateAsync();

        Assert.That(bed.DeferredStarts, Is.EqualTo(1), "the start waited for a read it can trust");
        var startReads = bed.Emulator.Journal.Where(e => e.IsGraph && e.Method == "GET").Skip(reads).ToList();
        Assert.That(startReads, Has.Count.EqualTo(2), "the untrusted read and the trusted one");
        Assert.That(startReads[1].Time - written, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(60)), "emulated time, not a timing assertion");
        Assert.That(second.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }));
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [Test]
    public async Task A_gate_restarted_long_after_its_last_write_trusts_a_read_that_shows_its_state()
    {
        await using var bed = new GateTestBed(o => o.ConsistencyWindow = TimeSpan.FromSeconds(30));
        bed.Time.Advance(TimeSpan.FromMinutes(1));
        var first = await bed.StartGateAsync();
        await first.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await first.DisposeAsync();

        bed.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await bed.StartGateAsync();
        await second.CheckDriftAsync();

        Assert.That(bed.SuccessfulPatches, Is.EqualTo(1), "no write needed");
    }

    [Test]
    public async Task Verify_after_write_reads_the_location_back_once_reads_can_be_trusted()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => { o.VerifyWrites = true; o.DriftCheckInterval = Timeout.InfiniteTimeSpan; });
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var reads = bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "GET");

        bed.Time.Skip(TimeSpan.FromSeconds(61));

        Assert.That(await Eventually.HoldsAsync(() => bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "GET") == reads + 1), Is.True);
    }

    [Test]
    public async Task Without_verification_or_drift_checks_the_gate_reads_nothing_after_start()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.DriftCheckInterval = Timeout.InfiniteTimeSpan);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        bed.Time.Skip(TimeSpan.FromHours(1));
        await gate.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(8));

        Assert.That(bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "GET"), Is.EqualTo(1), "the start's read only");
        Assert.That(bed.Logs.Entries.Where(e => e.EventId.Id == 1115), Is.Empty, "the loop never failed (a wait to 'never' once overflowed the clock)");
    }

    [Test]
    public async Task With_drift_checks_off_and_a_long_retry_delay_an_idle_gate_still_takes_a_grant()
    {
        // The idle loop waits until 'never'; that wait, rounded up to whole milliseconds, once overflowed
        // DateTimeOffset at some clock readings (this one among them), and the loop's failure delay (RetryBaseDelay,
        // here beyond what the test clock fires by itself) then held every grant back.
        await using var bed = new GateTestBed(new AutoAdvancingTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)) { AutoFireBelow = TimeSpan.FromSeconds(30) });
        var gate = await bed.StartGateAsync(o => { o.DriftCheckInterval = Timeout.InfiniteTimeSpan; o.RetryBaseDelay = TimeSpan.FromMinutes(1); o.Store = null; });
        await Task.Delay(200); // the loop goes idle: nothing granted, no drift check, so nothing is ever due

        var granting = gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        Assert.That(await Eventually.HoldsAsync(() => granting.IsCompleted, TimeSpan.FromSeconds(10)), Is.True, "the grant completed");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }
}
