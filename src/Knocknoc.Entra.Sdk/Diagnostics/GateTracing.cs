using System.Diagnostics;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The spans of <see cref="GateTelemetry.Source"/>: one per public call of a gate, and one per write of its named
/// location. A write runs on the gate's own loop, not inside any call, so the two are joined by links, both ways: the
/// write links every call it serves, and each call links the write that settled it. A trace then shows which sign-in
/// waited on which write, and a write shows whom it served. Failures carry OpenTelemetry's <c>error.type</c> (the
/// ENTRA code, or the exception's type) and an error status.
/// </summary>
internal static class GateTracing
{
    public const string Start = "knocknoc.entra.gate.start";
    public const string Grant = "knocknoc.entra.gate.grant";
    public const string Revoke = "knocknoc.entra.gate.revoke";
    public const string Flush = "knocknoc.entra.gate.flush";
    public const string Reconcile = "knocknoc.entra.gate.reconcile";
    public const string Write = "knocknoc.entra.gate.write";

    /// <summary>Starts the span of a public call, as the caller's current span's child.</summary>
    public static Activity? StartCall(string name, string gate)
    {
        var activity = GateTelemetry.Source.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag(GateMetrics.GateName, gate);
        return activity;
    }

    /// <summary>Starts the span of a write: a root (the loop belongs to no caller), linked to the calls it serves.</summary>
    public static Activity? StartWrite(string gate, string? locationId, List<ActivityLink> served)
    {
        var activity = GateTelemetry.Source.StartActivity(Write, ActivityKind.Internal, parentContext: default, tags: null, links: served);
        activity?.SetTag(GateMetrics.GateName, gate);
        activity?.SetTag("knocknoc.entra.location.id", locationId);
        return activity;
    }

    /// <summary>Gets the current span if it is one of this source's: a host's own span is never linked from a write.</summary>
    public static Activity? CurrentCall() => Activity.Current is { } current && current.Source == GateTelemetry.Source ? current : null;

    /// <summary>Links a call's span to the write that settled it (nothing when either was not recorded).</summary>
    public static void LinkToWrite(Activity? call, ActivityContext write)
    {
        if (call is not null && write != default)
        {
            call.AddLink(new ActivityLink(write));
        }
    }

    /// <summary>Marks a span failed; false, so it serves as an exception filter that never catches.</summary>
    public static bool Failed(Activity? activity, Exception error)
    {
        if (activity is not null)
        {
            var type = error is EntraException entra ? entra.CodeText : error.GetType().FullName;
            activity.SetTag(GateMetrics.ErrorType, type);
            activity.SetStatus(ActivityStatusCode.Error, type);
        }

        return false;
    }
}
