using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Knocknoc.Entra.Sdk.Errors;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The <c>Knocknoc.Entra</c> meter. Every gate measurement carries the gate's name as <c>knocknoc.gate</c>, so
/// several gates in one process stay apart; errors carry their ENTRA code as <c>knocknoc.error.code</c>. The one
/// Graph client measurement, <c>knocknoc.entra.graph.throttles</c>, carries no gate: a 429 answers the tenant, and
/// the client that received it may serve no gate at all.
/// </summary>
internal static class GateMetrics
{
    private static readonly Meter Meter = new(GateTelemetry.Name, typeof(GateMetrics).Assembly.GetName().Version?.ToString());
    // Weak: a gate its host forgot to dispose must not live on for the metrics' sake.
    private static readonly ConditionalWeakTable<IMeteredGate, object> Gates = [];

    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("knocknoc.entra.gate.writes", "{write}", "PATCH requests sent, by outcome.");
    private static readonly Histogram<double> WriteDuration = Meter.CreateHistogram<double>("knocknoc.entra.gate.write.duration", "s", "How long a PATCH took, pacing and retries included.");
    private static readonly Histogram<double> GrantLatency = Meter.CreateHistogram<double>("knocknoc.entra.gate.grant.latency", "s", "From a grant call to its network being in Entra.");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("knocknoc.entra.gate.errors", "{error}", "Failures, by ENTRA code.");
    private static readonly Counter<long> Drifts = Meter.CreateCounter<long>("knocknoc.entra.gate.drifts", "{drift}", "Edits found made outside the gate.");
    private static readonly Counter<long> Throttles = Meter.CreateCounter<long>("knocknoc.entra.graph.throttles", "{response}", "429 responses from Graph.");

    private static readonly object Tracked = new();

    static GateMetrics()
    {
        Meter.CreateObservableGauge("knocknoc.entra.gate.grants", () => Observe(static g => g.Gauges().Grants), "{grant}", "Active grants.");
        Meter.CreateObservableGauge("knocknoc.entra.gate.addresses", () => Observe(static g => g.Gauges().Networks), "{network}", "Distinct granted networks.");
        Meter.CreateObservableGauge("knocknoc.entra.gate.ranges", () => Observe(static g => g.Gauges().LastRanges), "{range}", "Ranges Entra is known to hold.");
    }

    public static void Track(IMeteredGate gate) => Gates.AddOrUpdate(gate, Tracked);

    public static void Untrack(IMeteredGate gate) => Gates.Remove(gate);

    public static void Wrote(IMeteredGate gate, TimeSpan elapsed, bool success)
    {
        var tags = new TagList { { "knocknoc.gate", gate.Name }, { "knocknoc.outcome", success ? "success" : "failure" } };
        Writes.Add(1, tags);
        WriteDuration.Record(elapsed.TotalSeconds, tags);
    }

    public static void GrantTookEffect(IMeteredGate gate, TimeSpan latency) =>
        GrantLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("knocknoc.gate", gate.Name));

    public static void Failed(IMeteredGate gate, EntraErrorCode code) =>
        Errors.Add(1, new KeyValuePair<string, object?>("knocknoc.gate", gate.Name), new KeyValuePair<string, object?>("knocknoc.error.code", EntraErrorCatalog.Format(code)));

    public static void Drifted(IMeteredGate gate) =>
        Drifts.Add(1, new KeyValuePair<string, object?>("knocknoc.gate", gate.Name));

    public static void Throttled() => Throttles.Add(1);

    private static IEnumerable<Measurement<int>> Observe(Func<IMeteredGate, int> read)
    {
        foreach (var (gate, _) in Gates)
        {
            yield return new Measurement<int>(read(gate), new KeyValuePair<string, object?>("knocknoc.gate", gate.Name));
        }
    }
}
