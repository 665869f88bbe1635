using System.Collections.Concurrent;
using System.Diagnostics;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>Records every span of the <c>Knocknoc.Entra</c> source that ends while it lives (all sampled).</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GateTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>Gets the ended spans of the gate named <paramref name="gate"/>.</summary>
    public List<Activity> Of(string gate) => [.. Spans.Where(s => (string?)s.GetTagItem("knocknoc.entra.gate.name") == gate)];

    public void Dispose() => _listener.Dispose();
}
