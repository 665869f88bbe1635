using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Where a request may go, what may be resent, and how long a body may take.</summary>
public class TransportSafetyTests
{
    private const string Id = "loc";
    private const string Location = """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"loc","ipRanges":[{"cidrAddress":"192.0.2.0/32"}]}""";

    [Test]
    public void A_redirect_following_handler_deep_in_the_transport_chain_is_refused()
    {
        using var redirecting = new SocketsHttpHandler { AllowAutoRedirect = true };
        using var wrapped = new PassThrough { InnerHandler = redirecting };
        var error = Assert.Throws<ArgumentException>(() => NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(TenantId, ClientId, Secret),
            Transport = wrapped,
        }));
        Assert.That(error!.Message, Does.Contain("AllowAutoRedirect"));
    }

    [Test]
    public void A_transport_that_follows_redirects_is_refused()
    {
        using var redirecting = new SocketsHttpHandler { AllowAutoRedirect = true };
        var error = Assert.Throws<ArgumentException>(() => NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(TenantId, ClientId, Secret),
            Transport = redirecting,
        }));
        Assert.That(error!.Message, Does.Contain("AllowAutoRedirect"));
    }

    [Test]
    public void A_401_from_a_host_the_request_was_moved_to_gets_no_fresh_token()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When($"{Locations}/{Id}").Respond(request =>
        {
            request.RequestUri = new Uri("https://evil.test/collect"); // what a followed redirect does
            return JsonResponse(HttpStatusCode.Unauthorized, "{}");
        });

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.UnexpectedResponse));
        Assert.That(bed.TokenRequests, Is.EqualTo(1), "no refresh for a foreign host");
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(504)]
    public void A_create_that_may_have_reached_Graph_is_never_resent(int status)
    {
        using var bed = new GraphTestBed();
        var posts = bed.Mock.When(HttpMethod.Post, Locations).Respond((HttpStatusCode)status);
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.CreateIpAsync("knocknoc_x", [Cidr.Parse("192.0.2.0/32")]))!;
        Assert.That((error.Code, bed.Mock.GetMatchCount(posts)), Is.EqualTo((EntraErrorCode.NamedLocationCreateFailed, 1)));
    }

    [Test]
    public async Task A_create_that_was_throttled_or_never_connected_is_resent()
    {
        using var bed = new GraphTestBed();
        var calls = 0;
        bed.Mock.When(HttpMethod.Post, Locations).Respond(_ => Interlocked.Increment(ref calls) switch
        {
            1 => JsonResponse((HttpStatusCode)429, GraphError("TooManyRequests", "later"), ("Retry-After", "1")),
            2 => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"),
            _ => JsonResponse(HttpStatusCode.Created, Location),
        });

        var created = await bed.Client.CreateIpAsync("knocknoc_x", [Cidr.Parse("192.0.2.0/32")]);

        Assert.That((created.Id, calls), Is.EqualTo(("loc", 3)));
    }

    [Test]
    public async Task A_retried_DELETE_answered_404_succeeded_on_an_earlier_attempt()
    {
        using var bed = new GraphTestBed();
        var calls = 0;
        bed.Mock.When(HttpMethod.Delete, $"{Locations}/{Id}").Respond(_ => Interlocked.Increment(ref calls) == 1
            ? new HttpResponseMessage(HttpStatusCode.GatewayTimeout)
            : JsonResponse(HttpStatusCode.NotFound, GraphError("ResourceNotFound", "gone")));

        await bed.Client.DeleteAsync(Id);

        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public void A_DELETE_answered_404_at_once_is_ENTRA052()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When(HttpMethod.Delete, $"{Locations}/{Id}").Respond(_ => JsonResponse(HttpStatusCode.NotFound, GraphError("ResourceNotFound", "gone")));
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.DeleteAsync(Id))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
    }

    [Test]
    public void A_body_that_stalls_after_its_headers_times_out_as_ENTRA004()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When($"{Locations}/{Id}").Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(bed.Time)) });

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        Assert.That((error.Code, error.IsTransient), Is.EqualTo((EntraErrorCode.Timeout, true)));
    }

    [Test]
    public async Task A_pacing_waiter_that_gives_up_leaves_no_slot_behind()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "tenant-a");
        var interval = TimeSpan.FromSeconds(1);
        using (var first = await limiter.WaitAsync(interval, TimeSpan.Zero, CancellationToken.None))
        {
            first.Sending();
        }

        using (var giveUp = new CancellationTokenSource())
        {
            var queued = limiter.WaitAsync(interval, TimeSpan.Zero, giveUp.Token).AsTask();
            await giveUp.CancelAsync();
            Assert.CatchAsync<OperationCanceledException>(() => queued);
        }

        time.Advance(interval);
        var next = limiter.WaitAsync(interval, TimeSpan.Zero, CancellationToken.None).AsTask();
        Assert.That(next.IsCompletedSuccessfully, Is.True, "the next caller gets the first free slot, not one behind the abandoned wait");
        using var turn = await next;
        Assert.That(turn.Waited, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task Pacing_counts_from_when_a_request_was_answered_not_when_its_turn_came()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "tenant-b");
        var interval = TimeSpan.FromSeconds(1);
        var margin = TimeSpan.FromMilliseconds(250);
        using (var first = await limiter.WaitAsync(interval, margin, CancellationToken.None))
        {
            time.Advance(TimeSpan.FromMilliseconds(300));         // a slow start between the turn and the send
            first.Sending();
            time.Advance(TimeSpan.FromMilliseconds(400));         // a new TLS connection, then Graph's answer
            first.Answered();
        }

        var waiting = limiter.WaitAsync(interval, margin, CancellationToken.None).AsTask();
        time.Advance(interval + margin - TimeSpan.FromMilliseconds(1));
        Assert.That(waiting.IsCompleted, Is.False, "emulated time: not before a full interval and the margin after the answer");
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var second = await waiting;

        Assert.That(second.Waited, Is.EqualTo(interval + margin), "emulated time: a full interval and the margin after the answer, not 0.3 s after it");
    }

    [Test]
    public async Task A_request_waits_for_the_answer_to_the_one_before_however_long_that_takes()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "tenant-c");
        var interval = TimeSpan.FromSeconds(1);
        var first = await limiter.WaitAsync(interval, TimeSpan.Zero, CancellationToken.None);
        first.Sending();

        var second = limiter.WaitAsync(interval, TimeSpan.Zero, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));                    // a slow connect: the first may reach Graph only now
        Assert.That(second.IsCompleted, Is.False, "no second request while the first one's answer is outstanding");
        var free = limiter.DelayUntilFreeAsync(CancellationToken.None).AsTask();
        Assert.That(free.IsCompleted, Is.False, "a gate's snapshot waits for the answer too");

        first.Dispose();                                          // ended without an answer: counts as answered now
        time.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.That(second.IsCompleted, Is.False, "emulated time: not before one interval after the end of the first turn");
        time.Advance(TimeSpan.FromMilliseconds(1));
        using (var turn = await second)
        {
            Assert.That(free.IsCompleted, Is.False, "nor while the second one's is");
        }

        await free;
    }

    [Test]
    public async Task Without_pacing_turns_do_not_wait_for_answers()
    {
        var time = new FakeTimeProvider();
        var limiter = TenantRateLimiter.For(time, "tenant-d");
        using var first = await limiter.WaitAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(250), CancellationToken.None);
        first.Sending();

        var second = limiter.WaitAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(250), CancellationToken.None).AsTask();

        Assert.That(second.IsCompletedSuccessfully, Is.True);
        (await second).Dispose();
    }

    [TestCase("//evil.test/")]
    [TestCase("tenant/../../evil")]
    [TestCase("a b")]
    public void Tenant_ids_that_could_move_the_authority_are_refused(string tenant)
    {
        Assert.Throws<ArgumentException>(() => EntraCredential.ClientSecret(tenant, ClientId, Secret));
    }

    [Test]
    public void Tenant_domains_and_GUIDs_are_accepted_and_client_ids_must_be_GUIDs()
    {
        Assert.That(EntraCredential.ClientSecret("contoso.onmicrosoft.com", ClientId, Secret).TenantId, Is.EqualTo("contoso.onmicrosoft.com"));
        Assert.That(EntraCredential.ClientSecret(TenantId, ClientId, Secret).TenantId, Is.EqualTo(TenantId));
        Assert.Throws<ArgumentException>(() => EntraCredential.ClientSecret(TenantId, "not-a-guid", Secret));
    }

    /// <summary>A body that sends nothing and lets the client's body deadline (a long timer on the fake clock) fire.</summary>
    private sealed class StallingStream(AutoAdvancingTimeProvider time) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _ = Task.Run(() => time.FireDormantTimers(TimeSpan.FromHours(1)), CancellationToken.None);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A handler of the host's own (logging, a proxy) stacked over the primary handler, as IHttpClientFactory does.</summary>
    private sealed class PassThrough : DelegatingHandler;
}
