using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Writes that fail and are tried again: the backoff holds whatever else falls due, and the time of the last write
/// is when a write landed.
/// </summary>
public class GateRetryTests
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
}
