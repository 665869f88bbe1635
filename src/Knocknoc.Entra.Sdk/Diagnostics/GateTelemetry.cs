using System.Diagnostics;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>The names hosts subscribe to for the SDK's traces and metrics (OpenTelemetry: <c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class GateTelemetry
{
    /// <summary>The name of both the <see cref="System.Diagnostics.ActivitySource"/> and the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Knocknoc.Entra";

    /// <summary>Gets the source of one span per write of a named location (<c>knocknoc.entra.gate.write</c>).</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(GateTelemetry).Assembly.GetName().Version?.ToString());
}
