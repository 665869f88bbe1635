using System.Collections.Concurrent;
using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Gate;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Diagnostics;

/// <summary>
/// The typed event hook: retries, throttling, pacing, writes and expiries reach an <see cref="EntraEventObserver"/>
/// as values, and an observer that throws breaks nothing.
/// </summary>
public class EventObserverTests
{
    [Test]
    public async Task Throttling_and_its_retries_reach_the_observer_with_status_host_and_delay_then_the_confirmed_write()
    {
        await using var bed = new GateTestBed();
        var observer = new RecordingObserver();
        var gate = await bed.StartGateAsync(o => (o.Name, o.Events) = ("observed", observer));
        bed.Emulator.FailNext(EmulatedFault.TooManyRequests, 2);

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        var throttles = observer.Of<GraphThrottleEvent>();
        var retries = observer.Of<GraphRetryEvent>();
        Assert.That(throttles, Has.Count.EqualTo(2));
        Assert.That(throttles.Select(t => t.ServerAddress), Is.All.EqualTo(EntraEmulator.Cloud.GraphRoot.Host));
        Assert.That(retries.Select(r => (r.RetryNumber, r.StatusCode)), Is.EqualTo(new[] { (1, (HttpStatusCode?)HttpStatusCode.TooManyRequests), (2, (HttpStatusCode?)HttpStatusCode.TooManyRequests) }));
        Assert.That(retries.Select(r => r.Delay), Is.All.GreaterThan(TimeSpan.Zero));
        var write = observer.Of<LocationWriteEvent>().Last();
        Assert.That((write.Gate, write.LocationId, write.Error, write.Added, write.RetryDelay), Is.EqualTo(("observed", bed.Location.Id, (EntraErrorCode?)null, 1, TimeSpan.Zero)));
    }

    [Test]
    public async Task A_failed_write_reaches_the_observer_with_its_code_and_the_gates_retry_delay()
    {
        await using var bed = new GateTestBed();
        var observer = new RecordingObserver();
        var gate = await bed.StartGateAsync(o => o.Events = observer);
        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 10_000);

        Assert.CatchAsync<EntraException>(() => gate.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(1)));

        // The calls hear of the failure first; the observer just after, on the loop.
        Assert.That(await Eventually.HoldsAsync(() => observer.Of<LocationWriteEvent>().Any(w => w.Error is not null)), Is.True);
        var failed = observer.Of<LocationWriteEvent>().First(w => w.Error is not null);
        Assert.That((failed.Error, failed.RetryDelay > TimeSpan.Zero), Is.EqualTo(((EntraErrorCode?)EntraErrorCode.NamedLocationUpdateFailed, true)));
    }

    [Test]
    public async Task An_expiry_reaches_the_observer_with_the_grant_its_network_and_due_time()
    {
        await using var bed = new GateTestBed();
        var observer = new RecordingObserver();
        var gate = await bed.StartGateAsync(o => (o.Name, o.Events) = ("expiring", observer));
        var due = bed.Now.AddHours(1);
        await gate.GrantAsync("alice", "203.0.113.7", due);

        bed.Time.Skip(TimeSpan.FromHours(1));

        Assert.That(await Eventually.HoldsAsync(() => observer.Of<GrantExpiryEvent>().Count == 1), Is.True);
        var expiry = observer.Of<GrantExpiryEvent>().Single();
        Assert.That((expiry.Gate, expiry.GrantId, expiry.Network), Is.EqualTo(("expiring", "alice", Cidr.Parse("203.0.113.7/32"))));
        Assert.That(expiry.ExpiresAt, Is.EqualTo(due).Within(TimeSpan.FromMilliseconds(1)), "kept to the millisecond");
    }

    [Test]
    public async Task A_request_held_back_by_the_tenants_pacing_reaches_the_observer_with_its_wait()
    {
        await using var bed = new GateTestBed();
        var observer = new RecordingObserver();
        var options = bed.Options();
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = options.Credential,
            Cloud = options.Cloud,
            Transport = options.Transport,
            TimeProvider = bed.Time,
            Events = observer,
            Resilience = { TenantRequestInterval = TimeSpan.FromSeconds(3), AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromHours(2) },
        });

        await client.GetAsync(bed.Location.Id);
        await client.GetAsync(bed.Location.Id);

        Assert.That(observer.Of<PacingWaitEvent>().Select(p => p.Delay), Has.Some.GreaterThan(TimeSpan.FromSeconds(1)), "the second request waits out the 3 s interval");
    }

    [Test]
    public async Task An_observer_that_throws_is_logged_as_event_1004_and_the_gate_goes_on()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Events = new ThrowingObserver());

        var grant = await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        Assert.That(grant.Network, Is.EqualTo(Cidr.Parse("203.0.113.7/32")));
        Assert.That(bed.Entra, Does.Contain("203.0.113.7/32"));
        Assert.That(bed.Logs.Entries.Any(e => e.EventId.Id == GraphEventId.ObserverFailed && e.Text.Contains(nameof(LocationWriteEvent), StringComparison.Ordinal)), Is.True);
    }

    private sealed class RecordingObserver : EntraEventObserver
    {
        private readonly ConcurrentQueue<object> _seen = new();

        public List<T> Of<T>() => [.. _seen.OfType<T>()];

        public override void OnGraphRetrying(GraphRetryEvent retry) => _seen.Enqueue(retry);

        public override void OnGraphThrottled(GraphThrottleEvent throttle) => _seen.Enqueue(throttle);

        public override void OnPacingWait(PacingWaitEvent wait) => _seen.Enqueue(wait);

        public override void OnLocationWritten(LocationWriteEvent write) => _seen.Enqueue(write);

        public override void OnGrantExpired(GrantExpiryEvent expiry) => _seen.Enqueue(expiry);
    }

    private sealed class ThrowingObserver : EntraEventObserver
    {
        public override void OnLocationWritten(LocationWriteEvent write) => throw new InvalidOperationException("the host's bug");
    }
}
