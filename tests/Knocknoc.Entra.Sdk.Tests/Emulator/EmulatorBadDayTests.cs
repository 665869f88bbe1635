using System.Net;
using System.Text.Json;
using Knocknoc.Entra.Sdk.Testing;
using static Knocknoc.Entra.Sdk.Tests.Emulator.RawEntra;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>Entra's bad days, each switched on and driven by the emulator's clock and seed.</summary>
public class EmulatorBadDayTests
{
    [Test]
    public async Task The_rate_limit_answers_429_with_the_remaining_wait_until_a_second_has_passed()
    {
        using var entra = new RawEntra(o =>
        {
            o.RateLimitInterval = TimeSpan.FromSeconds(1);
            o.RetryAfter = EmulatedRetryAfter.FractionalSeconds;
        });
        var token = await entra.TokenAsync();
        using var first = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        entra.Time.Advance(TimeSpan.FromMilliseconds(250));
        using var second = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        entra.Time.Advance(TimeSpan.FromMilliseconds(750));
        using var third = await entra.SendAsync(HttpMethod.Get, Locations, token: token);

        Assert.That((first.StatusCode, second.StatusCode, third.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK)));
        Assert.That(second.Headers.GetValues("Retry-After").Single(), Is.EqualTo("0.75"));
        Assert.That((await ErrorAsync(second)).Code, Is.EqualTo("TooManyRequests"));
    }

    [Test]
    public async Task By_default_the_rate_limit_omits_Retry_After_as_current_docs_describe()
    {
        using var entra = new RawEntra(o => o.RateLimitInterval = TimeSpan.FromSeconds(1));
        var token = await entra.TokenAsync();
        using var first = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        using var second = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(second.Headers.Contains("Retry-After"), Is.False);
    }

    [TestCase(250, "1")]
    [TestCase(0, "1")]
    public async Task The_rate_limit_can_send_whole_seconds_rounded_up(int elapsedMilliseconds, string expected)
    {
        using var entra = new RawEntra(o =>
        {
            o.RateLimitInterval = TimeSpan.FromSeconds(1);
            o.RetryAfter = EmulatedRetryAfter.WholeSeconds;
        });
        var token = await entra.TokenAsync();
        using var first = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        entra.Time.Advance(TimeSpan.FromMilliseconds(elapsedMilliseconds));
        using var second = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(second.Headers.GetValues("Retry-After").Single(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Reads_lag_writes_for_the_consistency_window()
    {
        using var entra = new RawEntra(o => o.ConsistencyWindow = TimeSpan.FromSeconds(5));
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Time.Advance(TimeSpan.FromMinutes(1));
        entra.Tenant.SetIpRanges(location.Id, ["203.0.113.7/32"]);

        Assert.That(await RangesAsync(entra, location.Id), Is.EqualTo(new[] { "192.0.2.0/32" }), "the old version, just after the write");
        entra.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(await RangesAsync(entra, location.Id), Is.EqualTo(new[] { "203.0.113.7/32" }));

        using (var deleted = await entra.SendAsync(HttpMethod.Delete, $"{Locations}/{location.Id}"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(await RangesAsync(entra, location.Id), Is.EqualTo(new[] { "203.0.113.7/32" }), "a deleted location still reads for a while");
        entra.Time.Advance(TimeSpan.FromSeconds(5));
        using var gone = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{location.Id}");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Flapping_reads_mix_old_and_new_inside_the_window_and_settle_after_it()
    {
        using var entra = new RawEntra(o =>
        {
            o.ConsistencyWindow = TimeSpan.FromSeconds(5);
            o.ConsistencyReadsFlap = true;
        });
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Time.Advance(TimeSpan.FromMinutes(1));
        entra.Tenant.SetIpRanges(location.Id, ["203.0.113.7/32"]);

        var seen = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            seen.Add((await RangesAsync(entra, location.Id)).Single());
        }

        entra.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(seen, Is.EquivalentTo(new[] { "192.0.2.0/32", "203.0.113.7/32" }));
        Assert.That(await RangesAsync(entra, location.Id), Is.EqualTo(new[] { "203.0.113.7/32" }));
    }

    [Test]
    public async Task A_location_created_within_the_window_is_not_yet_listed()
    {
        using var entra = new RawEntra(o => o.ConsistencyWindow = TimeSpan.FromSeconds(5));
        entra.Tenant.AddIpNamedLocation("fresh", ["192.0.2.0/32"]);
        using var early = await entra.SendAsync(HttpMethod.Get, Locations);
        entra.Time.Advance(TimeSpan.FromSeconds(5));
        using var later = await entra.SendAsync(HttpMethod.Get, Locations);
        Assert.That((await JsonAsync(early))["value"]!.AsArray(), Is.Empty);
        Assert.That((await JsonAsync(later))["value"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [TestCase(EmulatedFault.InternalServerError, 500, "InternalServerError")]
    [TestCase(EmulatedFault.ServiceUnavailable, 503, "ServiceUnavailable")]
    [TestCase(EmulatedFault.TooManyRequests, 429, "TooManyRequests")]
    public async Task Asked_for_faults_answer_with_Graphs_error_body_then_pass(EmulatedFault fault, int status, string code)
    {
        using var entra = new RawEntra();
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(fault, count: 2);
        using var first = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        using var second = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        using var third = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        Assert.That(((int)first.StatusCode, (int)second.StatusCode, (await ErrorAsync(first)).Code, third.StatusCode), Is.EqualTo((status, status, code, HttpStatusCode.OK)));
    }

    [Test]
    public async Task A_gateway_timeout_has_no_body()
    {
        using var entra = new RawEntra();
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(EmulatedFault.GatewayTimeout);
        using var response = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task A_captive_portal_answers_200_with_HTML_and_nothing_is_written()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(EmulatedFault.CaptivePortalPage);
        using var response = await entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", IpLocation("x", "203.0.113.1/32"), token);
        Assert.That((response.StatusCode, response.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "text/html")));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task Truncated_JSON_is_the_real_answer_cut_in_half()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32", "192.0.2.1/32"]);
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(EmulatedFault.TruncatedJson);
        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{location.Id}", token: token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Does.StartWith("{\"@odata.context\":"));
        Assert.Throws(Is.InstanceOf<JsonException>(), () => JsonDocument.Parse(text));
        Assert.That(entra.Emulator.Journal[^1].ResponseBody, Is.EqualTo(text), "the journal keeps what was sent");
    }

    [Test]
    public async Task A_dropped_connection_throws_and_writes_nothing()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(EmulatedFault.ConnectionReset);
        var error = Assert.ThrowsAsync<HttpRequestException>(() => entra.SendAsync(HttpMethod.Patch, $"{Locations}/{location.Id}", IpLocation("x", "203.0.113.1/32"), token));
        Assert.That(error!.HttpRequestError, Is.EqualTo(HttpRequestError.ResponseEnded));
        Assert.That(entra.Tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
        Assert.That(entra.Emulator.Journal[^1].Status, Is.Zero);
    }

    [Test]
    public async Task A_lost_answer_means_the_write_happened()
    {
        using var entra = new RawEntra();
        var token = await entra.TokenAsync();
        entra.Emulator.FailNext(EmulatedFault.ResponseLost);
        Assert.ThrowsAsync<HttpRequestException>(() => entra.SendAsync(HttpMethod.Post, Locations, IpLocation("knocknoc_x", "192.0.2.0/32"), token));
        Assert.That(entra.Tenant.NamedLocations.Select(l => l.DisplayName), Is.EqualTo(new[] { "knocknoc_x" }));
    }

    [Test]
    public async Task Random_transient_failures_follow_the_seed()
    {
        async Task<int[]> Statuses(int seed)
        {
            using var entra = new RawEntra(o =>
            {
                o.TransientFailureRate = 0.3;
                o.Seed = seed;
            });
            var token = await entra.TokenAsync();
            var statuses = new int[40];
            for (var i = 0; i < statuses.Length; i++)
            {
                using var response = await entra.SendAsync(HttpMethod.Get, Locations, token: token);
                statuses[i] = (int)response.StatusCode;
            }

            return statuses;
        }

        var first = await Statuses(7);
        Assert.That(await Statuses(7), Is.EqualTo(first));
        Assert.That(first.Count(s => s == 503), Is.InRange(4, 24), string.Join(",", first));
        Assert.That(first.Count(s => s == 200), Is.GreaterThan(10));
    }

    [Test]
    public async Task A_second_writer_changes_what_Graph_reads()
    {
        using var entra = new RawEntra();
        var location = entra.Tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        entra.Tenant.SetIpRanges(location.Id, ["198.51.100.0/24", "192.0.2.0/32"]);
        Assert.That(await RangesAsync(entra, location.Id), Is.EqualTo(new[] { "198.51.100.0/24", "192.0.2.0/32" }));
    }

    [Test]
    public async Task The_journal_keeps_Graph_calls_with_their_bodies_and_answers()
    {
        using var entra = new RawEntra();
        using (await entra.SendAsync(HttpMethod.Post, Locations, IpLocation("knocknoc_x", "192.0.2.0/32")))
        {
        }

        var call = entra.Emulator.Journal.Single(e => e.IsGraph);
        Assert.That((call.Method, call.Path, call.Status), Is.EqualTo(("POST", Locations, 201)));
        Assert.That(call.RequestBody, Does.Contain("192.0.2.0/32"));
        Assert.That(call.ResponseBody, Does.Contain("\"displayName\":\"knocknoc_x\""));
        Assert.That(call.Time, Is.EqualTo(entra.Time.GetUtcNow()));
    }

    private static async Task<string[]> RangesAsync(RawEntra entra, string id)
    {
        using var response = await entra.SendAsync(HttpMethod.Get, $"{Locations}/{id}");
        return [.. (await JsonAsync(response))["ipRanges"]!.AsArray().Select(r => r!["cidrAddress"]!.GetValue<string>())];
    }
}
