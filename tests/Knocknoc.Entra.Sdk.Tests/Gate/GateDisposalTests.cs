using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Disposal ends what waits: a start in progress, every call queued behind it, a drift check waiting for reads to be
/// trusted.
/// </summary>
public class GateDisposalTests
{
    [Test]
    public async Task Disposing_during_a_start_ends_the_start_and_every_call_queued_behind_it()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new ScriptedClient { GetGate = new TaskCompletionSource() };
        var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = ScriptedClient.Id, TimeProvider = time }, client);
        var first = gate.StartAsync();
        await client.Reading.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the start is reading the location (a hang guard, not a timing)
        var second = gate.RevokeAsync("x");
        await gate.DisposeAsync();
        client.GetGate.SetResult();
        Assert.CatchAsync<OperationCanceledException>(() => first);
        Assert.CatchAsync<ObjectDisposedException>(() => second);
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
}
