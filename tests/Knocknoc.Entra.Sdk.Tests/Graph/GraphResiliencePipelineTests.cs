using System.Net;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Tests.Support;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>
/// The Graph pipeline in <c>Microsoft.Extensions.Http.Resilience</c>'s handler, alone, on a <see cref="FakeTimeProvider"/>
/// that only the test moves: each wait is started by the code under test before the test moves the clock past it.
/// </summary>
public class GraphResiliencePipelineTests
{
    [Test]
    public async Task Waiting_for_the_tenants_turn_is_not_counted_against_the_attempt_timeout()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "pipeline-turn");
        var options = new GraphResilienceOptions
        {
            TenantRequestInterval = TimeSpan.FromSeconds(5),
            TenantRequestMargin = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = 0,
        };
        using (var earlier = await limiter.WaitAsync(options.TenantRequestInterval, TimeSpan.Zero, CancellationToken.None))
        {
            earlier.Sending();                                    // answered now: the next slot is 5 s away
        }

        using var invoker = Invoker(options, time, limiter, (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent)));
        using var request = new HttpRequestMessage(HttpMethod.Patch, "https://graph.test/v1.0/x");
        var sent = invoker.SendAsync(request, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.That(sent.IsCompleted, Is.False, "still waiting for the slot, well past the 2 s attempt timeout, and not timed out");
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await sent;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task A_POST_whose_attempt_timed_out_may_have_reached_Graph_and_is_never_resent()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var options = new GraphResilienceOptions { TenantRequestInterval = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(2), MaxRetryAttempts = 3 };
        using var invoker = Invoker(options, time, TenantRateLimiter.For(time, "pipeline-post"), async (_, token) =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, token);            // sent; no answer ever comes
            return new HttpResponseMessage(HttpStatusCode.Created);
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://graph.test/v1.0/x");
        var sent = invoker.SendAsync(request, CancellationToken.None);

        time.Advance(options.AttemptTimeout);

        Assert.ThrowsAsync<TimeoutRejectedException>(() => sent);
        Assert.That(attempts, Is.EqualTo(1));
        Assert.That(request.Options.TryGetValue(GraphRequestOptions.WasRetried, out _), Is.False);
    }

    [Test]
    public async Task A_429_without_retries_still_holds_the_tenant_back_for_its_Retry_After()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "pipeline-429");
        var options = new GraphResilienceOptions { TenantRequestInterval = TimeSpan.Zero, MaxRetryAttempts = 0 };
        using var invoker = Invoker(options, time, limiter, (_, _) =>
        {
            var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            throttled.Headers.TryAddWithoutValidation("Retry-After", "2.5");
            return Task.FromResult(throttled);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://graph.test/v1.0/x");
        using (var response = await invoker.SendAsync(request, CancellationToken.None))
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(429));
        }

        var next = limiter.DelayUntilFreeAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(2499));
        Assert.That(next.IsCompleted, Is.False, "Graph's fractional Retry-After holds every request to the tenant");
        time.Advance(TimeSpan.FromMilliseconds(1));
        await next;
    }

    private static HttpMessageInvoker Invoker(GraphResilienceOptions options, TimeProvider time, TenantRateLimiter limiter, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> graph) =>
        new(new ResilienceHandler(GraphResiliencePipeline.Build(options, time, limiter, new GraphDiagnostics(NullLogger.Instance, observer: null))) { InnerHandler = new CallbackHandler(graph) });
}
