using System.Diagnostics;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Tests.Gate;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Knocknoc.Entra.Sdk.Tests.Diagnostics;

/// <summary>
/// What a host's OpenTelemetry pipeline exports of the SDK (OpenTelemetry's own SDK and in-memory exporter, subscribed
/// by <see cref="GateTelemetry.Name"/> as the docs say): the instruments with their semantic-convention names, units,
/// attributes and seconds bucket advice, and the spans of the calls linked to the writes that served them.
/// </summary>
[NonParallelizable]
public class OpenTelemetryExportTests
{
    private const string GateName = "otel";

    [Test]
    public async Task The_instruments_carry_convention_names_units_attributes_and_seconds_buckets()
    {
        var exported = new List<MetricSnapshot>();
        using var meters = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(GateTelemetry.Name).AddInMemoryExporter(exported).Build();
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Name = GateName);

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("mallory", "10.0.0.1", bed.Now.AddHours(1)));
        meters.ForceFlush();

        var ours = exported.Where(m => m.MetricPoints.Any(p => Tags(p).GetValueOrDefault("knocknoc.entra.gate.name") as string == GateName))
            .GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        Assert.That(ours.Keys, Is.SupersetOf(new[]
        {
            "knocknoc.entra.gate.write.duration", "knocknoc.entra.gate.grant.duration", "knocknoc.entra.gate.errors",
            "knocknoc.entra.gate.grant.count", "knocknoc.entra.gate.network.count", "knocknoc.entra.gate.range.count",
        }));
        Assert.That(ours.Keys, Has.None.Contain("latency"));

        foreach (var duration in new[] { ours["knocknoc.entra.gate.write.duration"], ours["knocknoc.entra.gate.grant.duration"] })
        {
            Assert.That((duration.Unit, duration.MetricType), Is.EqualTo(("s", MetricType.Histogram)), duration.Name);
            var point = duration.MetricPoints.Single(p => Tags(p).GetValueOrDefault("knocknoc.entra.gate.name") as string == GateName);
            var bounds = new List<double>();
            foreach (var bucket in point.GetHistogramBuckets())
            {
                bounds.Add(bucket.ExplicitBound);
            }

            Assert.That(bounds, Is.EqualTo(new[] { 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, double.PositiveInfinity }), $"{duration.Name}: the SDK's advice for seconds, not the milliseconds default");
            Assert.That(Tags(point).Keys, Is.EquivalentTo(new[] { "knocknoc.entra.gate.name" }), "a success carries no error.type");
        }

        var errors = ours["knocknoc.entra.gate.errors"];
        Assert.That((errors.Unit, errors.MetricType), Is.EqualTo(("{error}", MetricType.LongSum)));
        var refused = errors.MetricPoints.Single(p => Tags(p).GetValueOrDefault("knocknoc.entra.gate.name") as string == GateName);
        Assert.That(Tags(refused), Is.EquivalentTo(new Dictionary<string, object?> { ["knocknoc.entra.gate.name"] = GateName, ["error.type"] = "ENTRA059" }));

        var grants = ours["knocknoc.entra.gate.grant.count"];
        Assert.That((grants.Unit, grants.MetricType), Is.EqualTo(("{grant}", MetricType.LongSumNonMonotonic)));
        Assert.That(grants.MetricPoints.Single(p => Tags(p).GetValueOrDefault("knocknoc.entra.gate.name") as string == GateName).GetSumLong(), Is.EqualTo(1));

        Assert.That(exported.SelectMany(m => m.MetricPoints).SelectMany(p => Tags(p).Keys), Has.None.EqualTo("knocknoc.gate").And.None.EqualTo("knocknoc.error.code").And.None.EqualTo("knocknoc.outcome"));
    }

    [Test]
    public async Task Each_call_is_a_span_linked_to_the_write_that_served_it_and_the_write_links_back()
    {
        var exported = new List<Activity>();
        using var host = new ActivitySource("Host.SignIn");
        using var traces = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(GateTelemetry.Name, host.Name).AddInMemoryExporter(exported).Build();
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync(o => o.Name = GateName);

        ActivitySpanId signInSpan;
        using (var signIn = host.StartActivity("sign-in"))
        {
            signInSpan = signIn!.SpanId;
            await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        }

        await gate.FlushAsync();
        traces.ForceFlush();

        var ours = exported.Where(a => a.GetTagItem("knocknoc.entra.gate.name") as string == GateName).ToList();
        var grant = ours.Single(a => a.DisplayName == "knocknoc.entra.gate.grant");
        var flush = ours.Single(a => a.DisplayName == "knocknoc.entra.gate.flush");
        var writes = ours.Where(a => a.DisplayName == "knocknoc.entra.gate.write").ToList();
        Assert.That(ours.Select(a => a.Kind), Is.All.EqualTo(ActivityKind.Internal));
        Assert.That(writes.Select(w => w.Parent is null && w.ParentSpanId == default), Is.All.True, "a write is a root: it belongs to no caller");
        foreach (var call in new[] { grant, flush })
        {
            var served = writes.Single(w => w.Links.Any(l => l.Context.SpanId == call.SpanId && l.Context.TraceId == call.TraceId));
            Assert.That(call.Links.Select(l => (l.Context.TraceId, l.Context.SpanId)), Is.EqualTo(new[] { (served.TraceId, served.SpanId) }), call.DisplayName);
            Assert.That(served.GetTagItem("knocknoc.entra.location.id"), Is.EqualTo(bed.Location.Id));
        }

        Assert.That(grant.ParentSpanId, Is.EqualTo(signInSpan), "the call is a child of the host's sign-in");
        Assert.That(writes.Select(w => w.TraceId), Has.None.EqualTo(grant.TraceId), "the write is in a trace of its own, joined by the links");
        Assert.That(grant.Status, Is.EqualTo(ActivityStatusCode.Unset));
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }
}
