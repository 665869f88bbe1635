using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The <c>Knocknoc.Entra</c> meter, named after OpenTelemetry's semantic conventions: durations end in
/// <c>.duration</c>, in seconds, with bucket advice for seconds; a failure carries its ENTRA code as <c>error.type</c>
/// (absent on success, as the conventions have it); counts that go up and down are up-down counters named
/// <c>.count</c>. Every gate measurement carries the gate's name as <c>knocknoc.entra.gate.name</c>: no conventional
/// attribute names a component inside a process (<c>service.*</c> name the process), so it is the SDK's own, in its
/// namespace. The one Graph client measurement, <c>knocknoc.entra.graph.throttles</c>, carries <c>server.address</c>
/// instead: a 429 answers the tenant at that host, and the client that received it may serve no gate at all.
/// </summary>
internal static class GateMetrics
{
    /// <summary>The attribute naming the gate.</summary>
    public const string GateName = "knocknoc.entra.gate.name";

    /// <summary>The conventional attribute of a failure's class: here its ENTRA code.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The conventional attribute of the host a request went to.</summary>
    public const string ServerAddress = "server.address";

    // Seconds, from a quick write (tens of milliseconds) through the pacing of a busy tenant and Graph's throttling
    // (minutes): the default buckets (0 to 10,000) are made for milliseconds and would put every write in the first two.
    private static readonly double[] SecondsBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly Meter Meter = new(GateTelemetry.Name, typeof(GateMetrics).Assembly.GetName().Version?.ToString());

    // Weak: a gate its host forgot to dispose must not live on for the metrics' sake.
    private static readonly ConditionalWeakTable<IMeteredGate, object> Gates = [];

    private static readonly Histogram<double> WriteDuration = Meter.CreateHistogram(
        "knocknoc.entra.gate.write.duration", "s", "How long a write of the named location took, pacing and retries included; its count is the number of writes.", tags: null, Seconds());

    private static readonly Histogram<double> GrantDuration = Meter.CreateHistogram(
        "knocknoc.entra.gate.grant.duration", "s", "From a grant call to its network being in Entra (or the write failing it).", tags: null, Seconds());

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("knocknoc.entra.gate.errors", "{error}", "Failures, by ENTRA code.");
    private static readonly Counter<long> Drifts = Meter.CreateCounter<long>("knocknoc.entra.gate.drifts", "{drift}", "Edits found made outside the gate.");
    private static readonly Counter<long> Throttles = Meter.CreateCounter<long>("knocknoc.entra.graph.throttles", "{response}", "429 responses from Graph.");

    private static readonly object Tracked = new();

    static GateMetrics()
    {
        // Up-down counters, not gauges: the counts of several gates add up to the process's.
        Meter.CreateObservableUpDownCounter("knocknoc.entra.gate.grant.count", () => Observe(static g => g.Gauges().Grants), "{grant}", "Active grants.");
        Meter.CreateObservableUpDownCounter("knocknoc.entra.gate.network.count", () => Observe(static g => g.Gauges().Networks), "{network}", "Distinct granted networks.");
        Meter.CreateObservableUpDownCounter("knocknoc.entra.gate.range.count", () => Observe(static g => g.Gauges().LastRanges), "{range}", "Ranges Entra is known to hold.");
    }

    public static void Track(IMeteredGate gate) => Gates.AddOrUpdate(gate, Tracked);

    public static void Untrack(IMeteredGate gate) => Gates.Remove(gate);

    public static void Wrote(IMeteredGate gate, TimeSpan elapsed, EntraErrorCode? error) =>
        WriteDuration.Record(elapsed.TotalSeconds, Tags(gate, error));

    public static void GrantSettled(IMeteredGate gate, TimeSpan elapsed, EntraErrorCode? error) =>
        GrantDuration.Record(elapsed.TotalSeconds, Tags(gate, error));

    public static void Failed(IMeteredGate gate, EntraErrorCode code) => Errors.Add(1, Tags(gate, code));

    public static void Drifted(IMeteredGate gate) => Drifts.Add(1, new KeyValuePair<string, object?>(GateName, gate.Name));

    public static void Throttled(string? serverAddress) => Throttles.Add(1, new KeyValuePair<string, object?>(ServerAddress, serverAddress));

    private static InstrumentAdvice<double> Seconds() => new() { HistogramBucketBoundaries = SecondsBuckets };

    private static TagList Tags(IMeteredGate gate, EntraErrorCode? error)
    {
        var tags = new TagList { { GateName, gate.Name } };
        if (error is { } code)
        {
            tags.Add(ErrorType, EntraErrorCatalog.Format(code));
        }

        return tags;
    }

    private static IEnumerable<Measurement<int>> Observe(Func<IMeteredGate, int> read)
    {
        foreach (var (gate, _) in Gates)
        {
            yield return new Measurement<int>(read(gate), new KeyValuePair<string, object?>(GateName, gate.Name));
        }
    }
}
