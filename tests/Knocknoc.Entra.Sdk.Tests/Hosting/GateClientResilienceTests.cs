using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Knocknoc.Entra.Sdk.Tests.Hosting;

/// <summary>
/// A gate's Graph pipeline is the resilience handler of its <c>IHttpClientBuilder</c> (issue 15, item 8): the host's
/// own handlers run beneath it, and its events reach the host's telemetry like any other client's.
/// </summary>
public class GateClientResilienceTests
{
    [Test]
    public async Task A_503_beneath_the_gate_client_is_retried_by_its_resilience_handler_and_reported_in_the_host_telemetry()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var seen = new ConcurrentQueue<string>();
        var events = new ConcurrentQueue<string>();
        using var listener = PollyEvents("Knocknoc.Entra.Gate.resilient-graph", events);
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate("resilient", options => bed.Configure(options, site, emulatorTransport: false))
            .AddHttpMessageHandler(() => new RecordingHandler(new FirstPatchUnavailable { InnerHandler = bed.Emulator.CreateHandler() }, seen));
        using var host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredKeyedService<INamedLocationGate>("resilient").GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        await host.StopAsync();

        Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(seen.Count(s => s.StartsWith("PATCH ", StringComparison.Ordinal)), Is.EqualTo(2), "the 503 and the retry, both beneath the handler");
        Assert.That(events, Has.Member("graph/OnRetry"), "Polly's metric, tagged with the pipeline's key and instance");
        Assert.That(bed.Logs.Entries.Select(e => e.Text), Has.Some.Contains("OnRetry").And.Contains("Knocknoc.Entra.Gate.resilient-graph"), "Polly's log event");
        Assert.That(bed.Logged(1001), Is.True, "the SDK's own retry log still comes from the retry callback");
    }

    [Test]
    public async Task Sign_in_requests_through_the_gate_client_get_no_Graph_retries_or_pacing()
    {
        var bed = new HostingTestBed();
        var site = bed.AddSite();
        var seen = new ConcurrentQueue<string>();
        var events = new ConcurrentQueue<string>();
        using var listener = PollyEvents("Knocknoc.Entra.Gate.signin-graph", events);
        var builder = bed.Builder();
        builder.Services.AddNamedLocationGate("signin", options => bed.Configure(options, site, emulatorTransport: false))
            .AddHttpMessageHandler(() => new RecordingHandler(new TokenEndpointUnreachable { InnerHandler = bed.Emulator.CreateHandler() }, seen));
        using var host = builder.Build();

        Assert.ThrowsAsync<Knocknoc.Entra.Sdk.EntraException>(() => host.Services.GetRequiredKeyedService<INamedLocationGate>("signin").StartAsync());

        // The Graph pipeline would have sent it 1 + 3 times (MaxRetryAttempts = 3); MSAL retries at most once itself.
        Assert.That(seen.Count(s => s.Contains("/oauth2/v2.0/token", StringComparison.Ordinal)), Is.InRange(1, 2), "a token request is MSAL's to retry, not the Graph pipeline's");
        Assert.That(events, Has.None.StartsWith("graph/"), "no Graph pipeline event for a sign-in");
        await host.StopAsync();
    }

    /// <summary>Records Polly's resilience events of one pipeline as "{instance}/{event}".</summary>
    private static MeterListener PollyEvents(string pipeline, ConcurrentQueue<string> events)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            string? name = null, instance = null, evt = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "pipeline.name": name = tag.Value as string; break;
                    case "pipeline.instance": instance = tag.Value as string; break;
                    case "event.name": evt = tag.Value as string; break;
                }
            }

            if (name == pipeline)
            {
                events.Enqueue($"{instance}/{evt}");
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>Answers the first PATCH with 503 in Graph's place; everything else goes on.</summary>
    private sealed class FirstPatchUnavailable : DelegatingHandler
    {
        private int _patches;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Method == HttpMethod.Patch && Interlocked.Increment(ref _patches) == 1
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))
                : base.SendAsync(request, cancellationToken);
    }

    /// <summary>Refuses every connection to the token endpoint: a failure the Graph pipeline would retry, even for a POST.</summary>
    private sealed class TokenEndpointUnreachable : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")
                : base.SendAsync(request, cancellationToken);
    }
}
