using System.Net;
using System.Security.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using RichardSzalay.MockHttp;
using static Knocknoc.Entra.Sdk.Tests.Graph.GraphTestBed;

namespace Knocknoc.Entra.Sdk.Tests.Graph;

/// <summary>Every ENTRA code the transport produces, each from a realistic answer or exception.</summary>
public class NamedLocationClientErrorTests
{
    private const string Id = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

    public enum Call
    {
        Get,
        List,
        Patch,
        Create,
        Delete,
        Policies,
    }

    private static IEnumerable<TestCaseData> Answers()
    {
        yield return Case(Call.Get, 403, GraphError("AccessDenied", "Request Authorization failed"), EntraErrorCode.AuthorizationFailed, transient: false);
        yield return Case(Call.Patch, 403, GraphError("AccessDenied", "required scopes are missing in the token"), EntraErrorCode.AuthorizationFailed, transient: false);
        yield return Case(Call.Get, 404, GraphError("ResourceNotFound", "Not found"), EntraErrorCode.NamedLocationNotFound, transient: false);
        yield return Case(Call.Patch, 404, GraphError("ResourceNotFound", "Not found"), EntraErrorCode.NamedLocationNotFound, transient: false);
        yield return Case(Call.Patch, 400, GraphError("BadRequest", "Invalid CIDR 1.2.3.4/99"), EntraErrorCode.NamedLocationUpdateFailed, transient: false, mentions: "Invalid CIDR 1.2.3.4/99");
        yield return Case(Call.Get, 500, GraphError("InternalServerError", "boom"), EntraErrorCode.NamedLocationReadFailed, transient: true);
        yield return Case(Call.Get, 400, "<html>proxy</html>", EntraErrorCode.NamedLocationReadFailed, transient: false, mentions: "without Graph's error JSON");
        yield return Case(Call.Get, 429, GraphError("TooManyRequests", "Please retry again later."), EntraErrorCode.Throttled, transient: true);
        yield return Case(Call.Get, 200, "<html><body>Sign in to the hotel Wi-Fi</body></html>", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"x","ipRanges":[{"cidrAddress":"1.2.3""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, """{"value":[1,2,3]}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, """[]""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"x","ipRanges":[{"cidrAddress":"not-a-cidr"}]}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, """{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"x","ipRanges":[{"cidrAddress":"1.2.3.4/32""" + new string(' ', 10) + "\"x\":" + new string('9', 400) + "}]}", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 200, "null", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Patch, 200, "<html><body>Sign in to the hotel Wi-Fi</body></html>", EntraErrorCode.UnexpectedResponse, transient: false, mentions: "answers this call with 204");
        yield return Case(Call.Delete, 200, "{}", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Create, 200, "{}", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.List, 200, """{"value":[null]}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.List, 200, """{}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.List, 200, """{"value":[],"@odata.nextLink":"relative/page2"}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.List, 200, """{"value":[{"@odata.type":"#microsoft.graph.futureNamedLocation","id":"x"}]}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Policies, 200, """{"value":[{"displayName":"no id"}]}""", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 302, string.Empty, EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Get, 511, "<html>network login</html>", EntraErrorCode.UnexpectedResponse, transient: false);
        yield return Case(Call.Create, 400, GraphError("BadRequest", "The tenant has 195 named locations"), EntraErrorCode.NamedLocationCreateFailed, transient: false, mentions: "195");
        yield return Case(Call.Delete, 400, GraphError("BadRequest", "Trusted location cannot be deleted"), EntraErrorCode.NamedLocationDeleteFailed, transient: false);
        yield return Case(Call.Policies, 500, GraphError("InternalServerError", "x"), EntraErrorCode.PolicyReadFailed, transient: true, mentions: "retry later for a 5xx");
        yield return Case(Call.Policies, 400, GraphError("BadRequest", "x"), EntraErrorCode.PolicyReadFailed, transient: false, mentions: "A missing Policy.Read.All is ENTRA002, not ENTRA057");
        yield return Case(Call.Policies, 403, GraphError("AccessDenied", "required scopes are missing in the token"), EntraErrorCode.AuthorizationFailed, transient: false, mentions: "Policy.Read.All");
    }

    [TestCaseSource(nameof(Answers))]
    public void A_failed_answer_becomes_its_ENTRA_code(Call call, int status, string body, EntraErrorCode expected, bool transient, string? mentions)
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 2);
        bed.Mock.When("https://graph.test/*").Respond(_ => new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json"),
        });

        var error = Assert.ThrowsAsync<EntraException>(() => Invoke(bed, call))!;

        Assert.That(error.Code, Is.EqualTo(expected));
        Assert.That(error.IsTransient, Is.EqualTo(transient));
        Assert.That(error.Message, Does.StartWith($"(agent error #{EntraErrorCatalog.Format(expected)}) {EntraErrorCatalog.Describe(expected)}."));
        Assert.That(error.ClientRequestId, Is.Not.Null.And.Not.Empty);
        Assert.That(bed.Logs.Entries.Count(e => e.EventId.Id == FailureEventId.For(expected) && e.EventId.Name == error.CodeText && e.Level == Microsoft.Extensions.Logging.LogLevel.Error), Is.EqualTo(1), "logged once, as event 2000 plus the code number");
        if (mentions is not null)
        {
            Assert.That(error.Message, Does.Contain(mentions));
        }

        if (body.Contains("\"error\"", StringComparison.Ordinal))
        {
            Assert.That(error.RequestId, Does.StartWith("req-"));
            Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
        }
    }

    [Test]
    public void A_failure_is_logged_with_its_code_status_Graph_error_code_and_both_request_ids_as_fields()
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 0);
        bed.Mock.When("https://graph.test/*").Respond(_ => JsonResponse(HttpStatusCode.Forbidden, GraphError("AccessDenied", "Request Authorization failed")));

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        var entry = bed.Logs.Entries.Single(e => e.EventId.Id == FailureEventId.For(EntraErrorCode.AuthorizationFailed));
        Assert.That(entry.EventId.Name, Is.EqualTo("ENTRA002"));
        Assert.That(entry.Fields[FailureFields.Code], Is.EqualTo("ENTRA002"));
        Assert.That(entry.Fields[FailureFields.Status], Is.EqualTo(403));
        Assert.That(entry.Fields[FailureFields.GraphErrorCode]?.ToString(), Is.EqualTo("AccessDenied"));
        Assert.That(entry.Fields[FailureFields.RequestId]?.ToString(), Is.EqualTo("req-AccessDenied"));
        Assert.That(entry.Fields[FailureFields.ClientRequestId]?.ToString(), Is.EqualTo(error.ClientRequestId).And.Not.Empty);
        Assert.That(entry.Fields[FailureFields.Message], Is.EqualTo(error.Message));
    }

    [Test]
    public void ENTRA000_is_logged_as_event_2000_never_as_event_0_and_a_field_with_nothing_to_say_is_null()
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 0);
        bed.Mock.When("https://graph.test/*").Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (graph.test:443)"));

        Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id));

        Assert.That(bed.Logs.Entries.Where(e => e.EventId.Id == 0), Is.Empty);
        var entry = bed.Logs.Entries.Single(e => e.EventId.Id == 2000);
        Assert.That((entry.EventId.Name, entry.Fields[FailureFields.Status], entry.Fields[FailureFields.RequestId]), Is.EqualTo(("ENTRA000", (object?)null, (object?)null)));
    }

    private static IEnumerable<TestCaseData> Exceptions()
    {
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (graph.test:443)"), EntraErrorCode.ConnectionFailed, 3).SetName("Connection refused is ENTRA000");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (graph.test:443)"), EntraErrorCode.ConnectionFailed, 3).SetName("DNS failure is ENTRA000");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid")), EntraErrorCode.TlsFailure, 1).SetName("TLS failure is ENTRA003, not retried");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"), EntraErrorCode.ConnectionFailed, 3).SetName("A reset connection is ENTRA000");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.InvalidResponse, "Received an invalid status line"), EntraErrorCode.UnexpectedResponse, 3).SetName("Garbage instead of HTTP is ENTRA054");
        yield return new TestCaseData(new TaskCanceledException("connect timed out", new TimeoutException("A connection could not be established within 15 seconds.")), EntraErrorCode.Timeout, 3).SetName("A connect timeout is retried and is ENTRA004");
    }

    [TestCaseSource(nameof(Exceptions))]
    public void A_network_failure_becomes_its_ENTRA_code_after_retries(Exception thrown, EntraErrorCode expected, int attempts)
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 2);
        var graph = bed.Mock.When("https://graph.test/*").Throw(thrown);

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        Assert.That(error.Code, Is.EqualTo(expected));
        Assert.That(bed.Mock.GetMatchCount(graph), Is.EqualTo(attempts));
    }

    [Test]
    public void A_range_list_longer_than_any_location_could_hold_is_ENTRA054()
    {
        using var bed = new GraphTestBed();
        var ranges = string.Join(',', Enumerable.Repeat("""{"cidrAddress":"192.0.2.1/32"}""", 70_000));
        bed.Mock.When("https://graph.test/*").Respond(_ => JsonResponse(HttpStatusCode.OK, $$"""{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"x","ipRanges":[{{ranges}}]}"""));
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;
        Assert.That((error.Code, error.Message.Contains("65536", StringComparison.Ordinal)), Is.EqualTo((EntraErrorCode.UnexpectedResponse, true)));
    }

    [Test]
    public void An_endless_body_is_cut_off_as_ENTRA054()
    {
        using var bed = new GraphTestBed();
        bed.Mock.When("https://graph.test/*").Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new EndlessJson()) });
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;
        Assert.That((error.Code, error.Message.Contains("MiB", StringComparison.Ordinal)), Is.EqualTo((EntraErrorCode.UnexpectedResponse, true)));
    }

    [Test]
    public void Throttling_that_never_ends_is_ENTRA005_after_every_retry()
    {
        using var bed = new GraphTestBed(o => o.MaxRetryAttempts = 4);
        var graph = bed.Mock.When("https://graph.test/*").Respond(_ => JsonResponse((HttpStatusCode)429, GraphError("TooManyRequests", "Please retry again later.")));
        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.UpdateIpRangesAsync(Id, [Cidr.Parse("192.0.2.0/32")]))!;
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.Throttled));
        Assert.That(bed.Mock.GetMatchCount(graph), Is.EqualTo(5));
    }

    [Test]
    public void An_attempt_that_never_answers_times_out_as_ENTRA004()
    {
        using var bed = new GraphTestBed(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMinutes(20);
            o.TotalTimeout = TimeSpan.FromHours(2);
            o.MaxRetryAttempts = 1;
        });
        var attempts = 0;
        using var slow = new Support.CallbackHandler(async (request, token) =>
        {
            Interlocked.Increment(ref attempts);
            var answered = new TaskCompletionSource();
            using (token.Register(() => answered.TrySetCanceled(token)))
            {
                // Let the attempt timeout (a dormant timer on the fake clock) fire, as if a minute passed.
                _ = Task.Run(() => FireTimeouts(bed));
                await answered.Task;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        bed.Mock.When("https://graph.test/*").Respond(slow);

        var error = Assert.ThrowsAsync<EntraException>(() => bed.Client.GetAsync(Id))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.Timeout));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(attempts, Is.EqualTo(2), "the timed-out attempt is retried once");
    }

    [Test]
    public void A_callers_cancellation_stays_OperationCanceledException()
    {
        using var bed = new GraphTestBed();
        using var cancel = new CancellationTokenSource();
        using var hanging = new Support.CallbackHandler(async (request, token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        bed.Mock.When("https://graph.test/*").Respond(hanging);

        var error = Assert.CatchAsync<OperationCanceledException>(() => bed.Client.GetAsync(Id, cancel.Token));
        Assert.That(error, Is.Not.Null);
    }

    private static void FireTimeouts(GraphTestBed bed) => bed.Time.FireDormantTimers(upTo: TimeSpan.FromMinutes(20));

    private static Task Invoke(GraphTestBed bed, Call call) => call switch
    {
        Call.Get => bed.Client.GetAsync(Id),
        Call.List => bed.Client.ListAsync(),
        Call.Patch => bed.Client.UpdateIpRangesAsync(Id, [Cidr.Parse("192.0.2.0/32")]),
        Call.Create => bed.Client.CreateIpAsync("knocknoc_x", [Cidr.Parse("192.0.2.0/32")]),
        Call.Delete => bed.Client.DeleteAsync(Id),
        _ => bed.Client.ListPoliciesAsync(),
    };

    private static TestCaseData Case(Call call, int status, string body, EntraErrorCode code, bool transient, string? mentions = null) =>
        new TestCaseData(call, status, body, code, transient, mentions).SetName($"{call} answered {status} {Shorten(body)} is {EntraErrorCatalog.Format(code)}");

    private static string Shorten(string body) => body.Length <= 24 ? body : body[..24] + "...";

    /// <summary>An ipRanges array that never closes: its opening, then whitespace forever.</summary>
    private sealed class EndlessJson : Stream
    {
        private static readonly byte[] Opening = System.Text.Encoding.UTF8.GetBytes("""{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"x","ipRanges":[""");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++, _position++)
            {
                buffer[offset + i] = _position < Opening.Length ? Opening[_position] : (byte)' ';
            }

            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
