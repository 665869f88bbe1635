using System.Globalization;
using System.Net;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Retry-After, backoff, the single 401 refresh and tenant pacing, measured on the fake clock.</summary>
public class ResilienceTests
{
    private const string Id = "loc";

    private static IEnumerable<TestCaseData> RetryAfterValues()
    {
        yield return new TestCaseData("3", TimeSpan.FromSeconds(3)).SetName("Retry-After in whole seconds");
        yield return new TestCaseData("2.128", TimeSpan.FromSeconds(2.128)).SetName("Retry-After in fractional seconds");
        yield return new TestCaseData("date+5", TimeSpan.FromSeconds(5)).SetName("Retry-After as an HTTP date");
        yield return new TestCaseData("600", TimeSpan.FromSeconds(60)).SetName("Retry-After beyond MaxDelay is capped");
    }

    [TestCaseSource(nameof(RetryAfterValues))]
    public async Task Retry_After_is_honoured(string header, TimeSpan expected)
    {
        using var bed = new GraphTestBed();
        var calls = 0;
        bed.Mock.When($"{Locations}/{Id}").Respond(_ =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""");
            }

            var value = header == "date+5" ? bed.Time.GetUtcNow().AddSeconds(5).ToString("r", CultureInfo.InvariantCulture) : header;
            return JsonResponse((HttpStatusCode)429, GraphError("TooManyRequests", "Please retry again later."), ("Retry-After", value));
        });

        await bed.Client.GetAsync(Id);

        Assert.That(bed.Time.Delays, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Without_retries_a_429s_Retry_After_still_holds_back_the_next_request()
    {
        using var bed = new GraphTestBed(options => options.MaxRetryAttempts = 0);
        var calls = 0;
        bed.Mock.When($"{Locations}/{Id}").Respond(_ => Interlocked.Increment(ref calls) > 1
            ? JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""")
            : JsonResponse((HttpStatusCode)429, GraphError("TooManyRequests", "Please retry again later."), ("Retry-After", "30")));

        Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id));
        var before = bed.Time.GetUtcNow();
        await bed.Client.GetAsync(Id);

        Assert.That(bed.Time.GetUtcNow() - before, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(29)), "emulated time: the pacer waited out Graph's word");
    }

    [Test]
    public async Task Without_Retry_After_backoff_is_exponential_capped_and_jittered_repeatably()
    {
        var first = await BackoffDelays(seed: 7);
        var again = await BackoffDelays(seed: 7);
        var other = await BackoffDelays(seed: 8);

        Assert.That(first, Has.Count.EqualTo(5));
        Assert.That(again, Is.EqualTo(first), "a seeded Random makes the jitter repeatable");
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.All(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(8)), Is.True, string.Join(", ", first));
        Assert.That(first.Sum(d => d.TotalSeconds), Is.GreaterThan(4), "it grows: the sum outweighs a fixed one-second delay");
    }

    [TestCase(408)]
    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task Transient_statuses_are_retried_until_success(int status)
    {
        using var bed = new GraphTestBed();
        var calls = 0;
        bed.Mock.When($"{Locations}/{Id}").Respond(_ => Interlocked.Increment(ref calls) < 3
            ? new HttpResponseMessage((HttpStatusCode)status)
            : JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}"""));

        var location = await bed.Client.GetAsync(Id);

        Assert.That((location.Id, calls), Is.EqualTo(("loc", 3)));
    }

    [TestCase(400)]
    [TestCase(403)]
    [TestCase(404)]
    [TestCase(409)]
    public void Permanent_statuses_are_not_retried(int status)
    {
        using var bed = new GraphTestBed();
        var graph = bed.Mock.When($"{Locations}/{Id}").Respond((HttpStatusCode)status);
        Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id));
        Assert.That(bed.Mock.GetMatchCount(graph), Is.EqualTo(1));
    }

    [Test]
    public async Task A_401_forces_exactly_one_token_refresh_and_one_resend()
    {
        using var bed = new GraphTestBed();
        var authorizations = new List<string?>();
        bed.Mock.When($"{Locations}/{Id}").Respond(request =>
        {
            lock (authorizations)
            {
                authorizations.Add(request.Headers.Authorization?.Parameter);
            }

            return request.Headers.Authorization?.Parameter == RefreshedToken
                ? JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""")
                : JsonResponse(HttpStatusCode.Unauthorized, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
        });

        await bed.Client.GetAsync(Id);

        Assert.That(authorizations, Is.EqualTo(new[] { Token, RefreshedToken }));
        Assert.That(bed.TokenRequests, Is.EqualTo(2));
    }

    [Test]
    public void A_token_Graph_keeps_refusing_is_ENTRA001_after_one_refresh_never_a_loop()
    {
        using var bed = new GraphTestBed();
        var graph = bed.Mock.When($"{Locations}/{Id}").Respond(_ => JsonResponse(HttpStatusCode.Unauthorized, GraphError("InvalidAuthenticationToken", "Access token validation failure.")));

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.AuthenticationFailed));
        Assert.That(bed.Mock.GetMatchCount(graph), Is.EqualTo(2));
        Assert.That(bed.TokenRequests, Is.EqualTo(2));
    }

    [Test]
    public async Task Tokens_come_from_the_cache_until_refreshed()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When($"{Locations}/{Id}").Respond(_ => JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}"""));
        for (var i = 0; i < 5; i++)
        {
            await bed.Client.GetAsync(Id);
        }

        Assert.That(bed.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task Requests_to_one_tenant_are_paced_across_clients()
    {
        using var bed = new GraphTestBed(o => o.TenantRequestInterval = TimeSpan.FromSeconds(1));
        var times = new List<DateTimeOffset>();
        bed.Mock.When($"{Locations}/{Id}").Respond(_ =>
        {
            lock (times)
            {
                times.Add(bed.Time.GetUtcNow());
            }

            return JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""");
        });
        using var second = bed.CreateClientOfSameApp();

        for (var i = 0; i < 3; i++)
        {
            await bed.Client.GetAsync(Id);
            await second.GetAsync(Id);
        }

        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        Assert.That(gaps, Has.Length.EqualTo(5));
        Assert.That(gaps.All(g => g >= TimeSpan.FromSeconds(1)), Is.True, string.Join(", ", gaps));
    }

    [Test]
    public async Task A_new_connection_before_a_request_does_not_bring_the_next_one_closer_at_Graph()
    {
        // Reproduces the drift read and PATCH that reached Graph 0.856 s apart: the read had to open a new TLS
        // connection after an idle period, the PATCH behind it reused the connection.
        using var bed = new GraphTestBed(o => o.TenantRequestInterval = TimeSpan.FromSeconds(1));
        var seenByGraph = new List<DateTimeOffset>();
        bed.Mock.When(HttpMethod.Get, $"{Locations}/{Id}").Respond(_ =>
        {
            bed.Time.Advance(TimeSpan.FromMilliseconds(300));   // DNS, TCP and TLS before Graph sees anything
            seenByGraph.Add(bed.Time.GetUtcNow());
            return JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""");
        });
        bed.Mock.When(HttpMethod.Patch, $"{Locations}/{Id}").Respond(_ =>
        {
            seenByGraph.Add(bed.Time.GetUtcNow());
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        });

        await bed.Client.GetAsync(Id);
        await bed.Client.UpdateIpRangesAsync(Id, [Knocknoc.Entra.Sdk.CidrAlgebra.Cidr.Parse("192.0.2.0/32")]);

        Assert.That(seenByGraph, Has.Count.EqualTo(2));
        Assert.That(seenByGraph[1] - seenByGraph[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1) + bed.Resilience.TenantRequestMargin), "emulated time, as Graph counts it");
    }

    [Test]
    public async Task A_slow_answer_holds_the_next_request_back_from_the_answer_not_from_the_send()
    {
        using var bed = new GraphTestBed(o =>
        {
            o.TenantRequestInterval = TimeSpan.FromSeconds(1);
            o.TenantRequestMargin = TimeSpan.FromMilliseconds(100);
        });
        var answeredAt = new List<DateTimeOffset>();
        var arrivedAt = new List<DateTimeOffset>();
        bed.Mock.When($"{Locations}/{Id}").Respond(_ =>
        {
            arrivedAt.Add(bed.Time.GetUtcNow());
            bed.Time.Advance(TimeSpan.FromSeconds(2));           // Graph takes its time, after counting the request
            answeredAt.Add(bed.Time.GetUtcNow());
            return JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""");
        });

        await bed.Client.GetAsync(Id);
        await bed.Client.GetAsync(Id);

        Assert.That(arrivedAt[1] - answeredAt[0], Is.EqualTo(TimeSpan.FromMilliseconds(1100)), "emulated time: interval and margin after the answer");
    }

    [Test]
    public async Task The_resend_after_a_401_is_paced_after_the_401_arrived()
    {
        using var bed = new GraphTestBed(o => o.TenantRequestInterval = TimeSpan.FromSeconds(1));
        var seenByGraph = new List<DateTimeOffset>();
        bed.Mock.When($"{Locations}/{Id}").Respond(_ =>
        {
            bed.Time.Advance(TimeSpan.FromMilliseconds(300));
            seenByGraph.Add(bed.Time.GetUtcNow());
            return seenByGraph.Count == 1
                ? JsonResponse(HttpStatusCode.Unauthorized, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."))
                : JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""");
        });

        await bed.Client.GetAsync(Id);

        Assert.That(seenByGraph, Has.Count.EqualTo(2));
        Assert.That(seenByGraph[1] - seenByGraph[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1) + bed.Resilience.TenantRequestMargin), "emulated time");
    }

    [Test]
    public void A_negative_pacing_margin_is_refused()
    {
        var options = new GraphResilienceOptions { TenantRequestMargin = TimeSpan.FromMilliseconds(-1) };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Test]
    public void Values_the_resilience_pipeline_would_refuse_are_problems_before_any_call()
    {
        var options = new GraphResilienceOptions
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(5),
            TotalTimeout = TimeSpan.FromDays(2),
            BaseDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromDays(2),
        };

        Assert.That(options.Problems().Select(p => p.Property), Is.EquivalentTo(new[] { "MaxDelay", "AttemptTimeout", "TotalTimeout" }));
        Assert.That(new GraphResilienceOptions { AttemptTimeout = TimeSpan.FromDays(1), TotalTimeout = TimeSpan.FromDays(1) }.Problems(), Is.Empty, "24 hours is allowed");
    }

    [TestCase("", null)]
    [TestCase("abc", null)]
    [TestCase("-1", null)]
    [TestCase("1.5", 1.5)]
    [TestCase(" 7 ", 7.0)]
    [TestCase("Sun, 22 Nov 2026 03:00:10 GMT", 10.0)]
    [TestCase("Sun, 22 Nov 2026 02:59:00 GMT", 0.0)]
    public void Retry_After_parsing(string value, double? seconds)
    {
        var now = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        Assert.That(RetryAfter.Parse(value, now), Is.EqualTo(seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null));
    }

    private static async Task<List<TimeSpan>> BackoffDelays(int seed)
    {
        using var bed = new GraphTestBed(o =>
        {
            o.Random = new Random(seed);
            o.MaxRetryAttempts = 5;
            o.MaxDelay = TimeSpan.FromSeconds(8);
        });
        var calls = 0;
        bed.Mock.When($"{Locations}/{Id}").Respond(_ => Interlocked.Increment(ref calls) <= 5
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : JsonResponse(HttpStatusCode.OK, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}"""));
        await bed.Client.GetAsync(Id);
        return [.. bed.Time.Delays];
    }
}
