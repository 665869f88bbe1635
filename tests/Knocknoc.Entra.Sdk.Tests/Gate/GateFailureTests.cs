using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Failures (point 9): typed errors reach the callers, nothing pending is dropped, the gate recovers.</summary>
public class GateFailureTests
{
    [Test]
    public async Task A_grant_during_an_outage_throws_the_typed_error_and_is_written_once_Graph_is_back()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 4);

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationUpdateFailed));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(await bed.EntraBecomesAsync("203.0.113.7/32"), Is.True, "kept and retried with backoff");
        Assert.That(await Eventually.HoldsAsync(() => gate.GetState().LastError is null), Is.True);
    }

    [Test]
    public async Task A_revocation_that_cannot_be_written_yet_stays_pending_until_Entra_confirms_it()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        bed.Emulator.FailNext(EmulatedFault.GatewayTimeout, 12);

        Assert.ThrowsAsync<EntraException>(() => gate.RevokeAsync("alice"));

        Assert.That(await bed.EntraBecomesAsync("192.0.2.0/32"), Is.True, string.Join(", ", bed.Entra));
    }

    [Test]
    public async Task An_expiry_during_an_outage_is_applied_when_Graph_is_back()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        bed.Emulator.FailNext(EmulatedFault.ConnectionReset, 12);

        bed.Time.Skip(TimeSpan.FromHours(1));

        Assert.That(await bed.EntraBecomesAsync("192.0.2.0/32"), Is.True, string.Join(", ", bed.Entra));
    }

    [Test]
    public async Task A_permanent_403_reaches_every_waiting_call_the_logs_and_the_metrics_and_the_gate_recovers_when_fixed()
    {
        await using var bed = new GateTestBed();
        using var metrics = new MetricsRecorder();
        var gate = await bed.StartGateAsync();
        bed.Application.Permissions = GraphPermissions.PolicyReadAll;

        var calls = new[]
        {
            gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8)),
            gate.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(8)),
        };
        foreach (var call in calls)
        {
            var error = Assert.ThrowsAsync<EntraException>(() => call)!;
            Assert.That(error.Code, Is.EqualTo(EntraErrorCode.AuthorizationFailed));
        }

        Assert.That(bed.Logs.Entries.Any(e => e.EventId.Id == 2002), Is.True);
        Assert.That(metrics.Count("knocknoc.entra.gate.errors", ("error.type", "ENTRA002")), Is.GreaterThan(0));

        bed.Application.Permissions = GraphPermissions.All;
        bed.Time.Skip(TimeSpan.FromMinutes(3));
        Assert.That(await bed.EntraBecomesAsync("203.0.113.7/32", "203.0.113.8/32"), Is.True, string.Join(", ", bed.Entra));
    }

    [Test]
    public async Task A_cancelled_wait_throws_but_the_grant_stays_and_is_written()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 4);
        using var cancel = new CancellationTokenSource();

        var call = gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8), cancel.Token);
        await cancel.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.That(gate.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }));
        Assert.That(await bed.EntraBecomesAsync("203.0.113.7/32"), Is.True);
    }

    [Test]
    public async Task A_call_cancelled_before_it_starts_changes_nothing()
    {
        await using var bed = new GateTestBed();
        var gate = bed.CreateGate();

        Assert.CatchAsync<OperationCanceledException>(() => gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8), new CancellationToken(canceled: true)));

        await gate.StartAsync();
        Assert.That(gate.GetState().Grants, Is.Empty);
    }

    [Test]
    public async Task A_deleted_location_fails_writes_with_ENTRA052_and_is_checked_again_before_the_next_write()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = bed.Options().Credential,
            Cloud = EntraEmulator.Cloud,
            Transport = bed.Emulator.CreateHandler(),
            TimeProvider = bed.Time,
        });
        await client.DeleteAsync(bed.Location.Id);

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(gate.GetState().LastError?.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));

        // The retry reads the location before it writes again: no blind PATCH at a location that is gone.
        var patches = bed.Patches;
        Assert.That(await Eventually.HoldsAsync(() => bed.Emulator.Journal.Count(e => e.IsGraph && e.Method == "GET" && e.Status == 404) >= 2), Is.True);
        Assert.That(bed.Patches, Is.EqualTo(patches));
        client.Dispose();
    }

    [Test]
    public async Task Disposing_fails_the_calls_still_waiting_and_keeps_their_grants_in_the_store()
    {
        // A clock only the test moves: after the first failure the gate waits out its backoff, with bob's call waiting.
        await using var bed = new GateTestBed(new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.Zero });
        var gate = await bed.StartGateAsync(o => o.Resilience.MaxRetryAttempts = 0);
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 1000);
        var failing = gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        while (!failing.IsCompleted)
        {
            await bed.StepAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
        }

        Assert.CatchAsync<EntraException>(() => failing);
        var waiting = gate.GrantAsync("bob", "203.0.113.8", bed.Now.AddHours(8));

        await gate.DisposeAsync();

        Assert.CatchAsync<ObjectDisposedException>(() => waiting);
        Assert.That(bed.Store.Snapshot.Grants.Select(g => g.GrantId), Is.EquivalentTo(new[] { "alice", "bob" }));
    }

    [Test]
    public async Task Disposing_during_a_write_finishes_that_write_and_its_calls_succeed()
    {
        await using var bed = new GateTestBed(new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.Zero });
        HeldWrites? held = null;
        var gate = await bed.StartGateAsync(o => o.Transport = held = new HeldWrites(o.Transport!));
        await bed.StepAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        // Graph holds the PATCH's answer until the test lets it go: a signal, not a race between the test's steps and
        // the gate reaching the emulator.
        var grant = gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        while (!held!.Holding.Task.IsCompleted)
        {
            await bed.StepAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        }

        var disposing = gate.DisposeAsync().AsTask();
        await bed.StepAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        Assert.That(disposing.IsCompleted, Is.False, "the PATCH in flight is still waiting for its answer");

        held.Release.SetResult();
        await disposing.WaitAsync(TimeSpan.FromSeconds(20)); // a hang guard, not a timing

        Assert.That((await grant).Id, Is.EqualTo("alice"));
        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    /// <summary>Holds every PATCH before it reaches the emulator until <see cref="Release"/> is set.</summary>
    private sealed class HeldWrites(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Patch)
            {
                Holding.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
