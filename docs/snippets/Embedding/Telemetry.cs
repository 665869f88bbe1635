#region snippet:embedding-listeners
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Knocknoc.Entra.Sdk.Diagnostics;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: the gate's meter and spans with the framework's own listeners (no OpenTelemetry package).</summary>
public static class Telemetry
{
    /// <returns>The listeners, which listen until disposed.</returns>
    public static (MeterListener Meters, ActivityListener Spans) Listen()
    {
        #region snippet:embedding-listeners
        var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GateTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Print(instrument, value, tags));
        meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Print(instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Print(instrument, value, tags));
        meters.Start();                                             // also for the gauges: meters.RecordObservableInstruments()

        var spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GateTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => Console.WriteLine(
                $"span {span.OperationName} {span.GetTagItem("knocknoc.entra.gate.name")}: {span.Links.Count()} link(s)"),
        };
        ActivitySource.AddActivityListener(spans);

        // A first grant, then RecordObservableInstruments(), print among others:
        // span knocknoc.entra.gate.write default: 1 link(s)
        // span knocknoc.entra.gate.grant default: 1 link(s)
        // knocknoc.entra.gate.grant.count {grant} 1 knocknoc.entra.gate.name=default

        static void Print<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var tagText = string.Join(" ", tags.ToArray().Select(tag => $"{tag.Key}={tag.Value}"));
            Console.WriteLine($"{instrument.Name} {instrument.Unit} {value} {tagText}");
        }
        #endregion

        return (meters, spans);
    }
}
