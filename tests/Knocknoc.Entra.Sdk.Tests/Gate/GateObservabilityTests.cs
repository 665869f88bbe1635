using System.Diagnostics;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>Observability (point 12): meter, spans, audit events; no secret anywhere.</summary>
public class GateObservabilityTests
{
    [Test]
    public async Task Every_write_is_a_span_and_the_meter_counts_writes_grants_and_latency_per_gate()
    {
        await using var bed = new GateTestBed();
        using var metrics = new MetricsRecorder();
        using var spans = new SpanRecorder();
        var gate = await bed.StartGateAsync(o => o.Name = "observed");

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("carol", "2001:db8::5", bed.Now.AddHours(1));
        metrics.Observe();

        var writes = spans.Of("observed").Where(s => s.OperationName == "knocknoc.entra.gate.write").ToList();
        var grants = spans.Of("observed").Where(s => s.OperationName == "knocknoc.entra.gate.grant").ToList();
        Assert.That(writes, Has.Count.EqualTo(bed.SuccessfulPatches));
        Assert.That(grants, Has.Count.EqualTo(3), "a span per public call");
        Assert.That(metrics.Measurements.Count(m => m.Instrument == "knocknoc.entra.gate.write.duration" && m.Tags["knocknoc.entra.gate.name"] == "observed" && !m.Tags.ContainsKey("error.type")), Is.EqualTo(bed.SuccessfulPatches));
        Assert.That(metrics.Measurements.Count(m => m.Instrument == "knocknoc.entra.gate.grant.duration" && m.Tags["knocknoc.entra.gate.name"] == "observed"), Is.EqualTo(3));
        Assert.That(metrics.Measurements.Last(m => m.Instrument == "knocknoc.entra.gate.grant.count" && m.Tags["knocknoc.entra.gate.name"] == "observed").Value, Is.EqualTo(3));
        Assert.That(metrics.Measurements.Last(m => m.Instrument == "knocknoc.entra.gate.network.count" && m.Tags["knocknoc.entra.gate.name"] == "observed").Value, Is.EqualTo(2));
    }

    [Test]
    public async Task A_call_and_the_write_that_served_it_link_each_other_and_the_write_is_no_callers_child()
    {
        await using var bed = new GateTestBed();
        using var spans = new SpanRecorder();
        var gate = await bed.StartGateAsync(o => o.Name = "linked");

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.RevokeAsync("alice");

        var ours = spans.Of("linked");
        var grant = ours.Single(s => s.OperationName == "knocknoc.entra.gate.grant");
        var revoke = ours.Single(s => s.OperationName == "knocknoc.entra.gate.revoke");
        var writes = ours.Where(s => s.OperationName == "knocknoc.entra.gate.write").ToList();
        Assert.That(writes.Select(w => w.ParentSpanId), Is.All.EqualTo(default(ActivitySpanId)), "a write belongs to no caller");
        foreach (var call in new[] { grant, revoke })
        {
            var served = writes.Single(w => w.Links.Any(l => l.Context.SpanId == call.SpanId));
            Assert.That(call.Links.Select(l => l.Context.SpanId), Is.EqualTo(new[] { served.SpanId }), call.OperationName);
        }
    }

    [Test]
    public async Task A_failed_call_is_marked_with_its_ENTRA_code_as_error_type()
    {
        await using var bed = new GateTestBed();
        using var spans = new SpanRecorder();
        var gate = await bed.StartGateAsync(o => o.Name = "refused");

        Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "10.0.0.1", bed.Now.AddHours(1)));

        var grant = spans.Of("refused").Single(s => s.OperationName == "knocknoc.entra.gate.grant");
        Assert.That(grant.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That((string?)grant.GetTagItem("error.type"), Is.EqualTo("ENTRA059"), "a private address is refused");
    }

    [Test]
    public async Task Every_grant_revoke_and_expiry_leaves_an_audit_event_with_id_address_and_time_and_no_secret()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        await gate.GrantAsync("alice@example.com", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob@example.com", "203.0.113.8", bed.Now.AddHours(2));
        await gate.RevokeAsync("bob@example.com");
        bed.Time.Skip(TimeSpan.FromHours(1));
        await bed.EntraBecomesAsync("192.0.2.0/32");
        await Eventually.HoldsAsync(() => bed.Logs.Entries.Any(e => e.EventId.Id == 1103));

        var audit = bed.Logs.Entries.Where(e => e.EventId.Id is >= 1100 and < 1110).Select(e => (e.EventId.Id, e.Text)).ToList();
        Assert.That(audit.Select(a => a.Id), Is.EqualTo(new[] { 1100, 1100, 1102, 1103 }));
        Assert.That(audit[0].Text, Does.Contain("alice@example.com").And.Contain("203.0.113.7/32").And.Contain(bed.Now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(audit[3].Text, Does.Contain("alice@example.com").And.Contain("203.0.113.7/32"));
        Assert.That(bed.Logs.Entries.Select(e => e.Text), Has.None.Contain(bed.Application.ClientSecret));
        Assert.That(bed.Logs.Entries.Select(e => e.Text).Where(BearerText.Leaks), Is.Empty);
    }

    [Test]
    public async Task Graph_throttling_is_counted_and_the_state_shows_what_is_still_pending()
    {
        await using var bed = new GateTestBed();
        using var metrics = new MetricsRecorder();
        var gate = await bed.StartGateAsync(o => o.Name = "throttled");
        bed.Emulator.FailNext(EmulatedFault.TooManyRequests, 2);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        Assert.That(metrics.Count("knocknoc.entra.graph.throttles"), Is.GreaterThanOrEqualTo(2));

        bed.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 10_000);
        Assert.CatchAsync<EntraException>(() => gate.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(1)));
        var state = gate.GetState();

        Assert.That(state.LastError?.Code, Is.EqualTo(EntraErrorCode.NamedLocationUpdateFailed));
        Assert.That(state.Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(state.DesiredRanges.Select(r => r.ToString()), Is.EquivalentTo(new[] { "203.0.113.7/32", "198.51.100.9/32" }));
        Assert.That(state.EntraRanges is null || !state.EntraRanges.Contains(Cidr.Parse("198.51.100.9/32")), Is.True, "unknown after a failed write, or known without bob");
    }
}
