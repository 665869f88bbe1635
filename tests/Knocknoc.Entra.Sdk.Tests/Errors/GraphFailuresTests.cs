using System.Net;
using System.Text;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Tests.Errors;

/// <summary>A Graph answer that is not a success, and the ENTRA code, facts and explanation it becomes.</summary>
public class GraphFailuresTests
{
    private const string SentClientRequestId = "sent-client-id";

    private static IEnumerable<TestCaseData> Statuses()
    {
        yield return Case(GraphOperation.ReadLocation, 401, EntraErrorCode.AuthenticationFailed, false);
        yield return Case(GraphOperation.ListPolicies, 403, EntraErrorCode.AuthorizationFailed, false);
        yield return Case(GraphOperation.ReadLocation, 404, EntraErrorCode.NamedLocationNotFound, false);
        yield return Case(GraphOperation.UpdateLocation, 404, EntraErrorCode.NamedLocationNotFound, false);
        yield return Case(GraphOperation.DeleteLocation, 404, EntraErrorCode.NamedLocationNotFound, false);
        yield return Case(GraphOperation.ListLocations, 404, EntraErrorCode.NamedLocationReadFailed, false);
        yield return Case(GraphOperation.CreateLocation, 404, EntraErrorCode.NamedLocationCreateFailed, false);
        yield return Case(GraphOperation.ListPolicies, 404, EntraErrorCode.PolicyReadFailed, false);
        yield return Case(GraphOperation.UpdateLocation, 429, EntraErrorCode.Throttled, true);
        yield return Case(GraphOperation.ReadLocation, 300, EntraErrorCode.UnexpectedResponse, false);
        yield return Case(GraphOperation.ReadLocation, 399, EntraErrorCode.UnexpectedResponse, false);
        yield return Case(GraphOperation.ReadLocation, 511, EntraErrorCode.UnexpectedResponse, false);
        yield return Case(GraphOperation.UpdateLocation, 400, EntraErrorCode.NamedLocationUpdateFailed, false);
        yield return Case(GraphOperation.UpdateLocation, 408, EntraErrorCode.NamedLocationUpdateFailed, true);
        yield return Case(GraphOperation.UpdateLocation, 409, EntraErrorCode.NamedLocationUpdateFailed, false);
        yield return Case(GraphOperation.CreateLocation, 500, EntraErrorCode.NamedLocationCreateFailed, true);
        yield return Case(GraphOperation.DeleteLocation, 502, EntraErrorCode.NamedLocationDeleteFailed, true);
        yield return Case(GraphOperation.ListLocations, 503, EntraErrorCode.NamedLocationReadFailed, true);
        yield return Case(GraphOperation.ListPolicies, 504, EntraErrorCode.PolicyReadFailed, true);
        yield return Case(GraphOperation.ListPolicies, 501, EntraErrorCode.PolicyReadFailed, false);
        yield return Case(GraphOperation.ReadLocation, 400, EntraErrorCode.NamedLocationReadFailed, false);
    }

    [TestCaseSource(nameof(Statuses))]
    public async Task A_status_becomes_its_ENTRA_code(object operation, int status, EntraErrorCode code, bool transient)
    {
        using var response = Answer(status, GraphError("SomeCode", "Graph's own words"));

        var error = await GraphFailures.FromResponseAsync(response, (GraphOperation)operation, SentClientRequestId, CancellationToken.None);

        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(error.IsTransient, Is.EqualTo(transient), "transient");
        Assert.That(error.StatusCode, Is.EqualTo((HttpStatusCode)status));
        Assert.That(error.GraphErrorCode, Is.EqualTo("SomeCode"));
        Assert.That(error.Message, Does.StartWith($"(agent error #{EntraErrorCatalog.Format(code)}) {EntraErrorCatalog.Describe(code)}."));
        Assert.That(error.Message, Does.EndWith($"[HTTP {status}, code SomeCode, request-id body-request-id, client-request-id body-client-id]"));
        Assert.That(error.AuthenticationFailure, Is.Null);
    }

    [Test]
    public async Task Graphs_message_is_the_detail()
    {
        using var response = Answer(400, GraphError("BadRequest", "  Invalid CIDR 1.2.3.4/99  "));
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Message, Does.StartWith("(agent error #ENTRA051) Failed to update Entra Named Location. Invalid CIDR 1.2.3.4/99. Graph's reason is given"));
    }

    [Test]
    public async Task A_redirect_is_explained_as_not_Graphs_answer()
    {
        using var response = Answer(302, string.Empty);
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Message, Does.Contain(". Graph answered 302 Found instead of a result (a redirect or a network sign-in page). A proxy"));
    }

    [Test]
    public async Task A_refused_token_says_it_was_refreshed_and_gives_Graphs_reason()
    {
        using var response = Answer(401, GraphError("InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Message, Does.Contain(". Graph refused the access token even after a refresh: Access token has expired or is not yet valid. Check the tenant id"));
        Assert.That(error.GraphErrorCode, Is.EqualTo("InvalidAuthenticationToken"));
    }

    [TestCase("")]
    [TestCase("""{"error":{"code":"InvalidAuthenticationToken"}}""")]
    [TestCase("""{"error":{"code":"InvalidAuthenticationToken","message":""}}""")]
    public async Task A_refused_token_without_a_reason_says_only_that(string body)
    {
        using var response = Answer(401, body);
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Message, Does.Contain(". Graph refused the access token even after a refresh. Check the tenant id"));
    }

    [TestCase("<html><body>Access denied by proxy</body></html>")]
    [TestCase("")]
    [TestCase("""{"error":""")]
    public async Task An_answer_without_Graphs_JSON_says_a_proxy_may_have_answered(string body)
    {
        using var response = Answer(400, body);
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Message, Does.Contain(". Graph answered 400 Bad Request without Graph's error JSON (a proxy may have answered). See the HTTP status"));
        Assert.That(error.GraphErrorCode, Is.Null);
        Assert.That(error.ClientRequestId, Is.EqualTo(SentClientRequestId));
    }

    [Test]
    public async Task The_request_ids_in_the_headers_win_over_the_body()
    {
        using var response = Answer(500, GraphError("InternalServerError", "boom"), ("request-id", "header-request-id"), ("client-request-id", "header-client-id"));
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That((error.RequestId, error.ClientRequestId), Is.EqualTo(("header-request-id", "header-client-id")));
    }

    [Test]
    public async Task Without_headers_the_request_ids_come_from_the_body()
    {
        using var response = Answer(500, GraphError("InternalServerError", "boom"));
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That((error.RequestId, error.ClientRequestId), Is.EqualTo(("body-request-id", "body-client-id")));
    }

    [Test]
    public async Task Without_any_ids_the_client_request_id_sent_is_given()
    {
        using var response = Answer(500, """{"error":{"code":"InternalServerError","message":"boom"}}""");
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.ReadLocation, SentClientRequestId, CancellationToken.None);
        Assert.That((error.RequestId, error.ClientRequestId), Is.EqualTo(((string?)null, SentClientRequestId)));
    }

    [Test]
    public async Task An_error_body_of_exactly_64_KiB_is_read()
    {
        var json = GraphError("BadRequest", "Invalid CIDR");
        var body = json + new string(' ', (64 * 1024) - Encoding.UTF8.GetByteCount(json));
        using var response = Answer(400, body);
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(64 * 1024));

        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);

        Assert.That(error.GraphErrorCode, Is.EqualTo("BadRequest"));
    }

    [Test]
    public async Task A_body_announced_larger_than_64_KiB_is_not_read()
    {
        using var response = Answer(400, GraphError("BadRequest", "Invalid CIDR"));
        response.Content.Headers.ContentLength = (64 * 1024) + 1;

        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);

        Assert.That(error.GraphErrorCode, Is.Null);
        Assert.That(error.Message, Does.Contain("without Graph's error JSON"));
    }

    [Test]
    public async Task A_body_that_fails_while_read_is_treated_as_no_error_JSON()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(new FailingStream()) };
        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationUpdateFailed));
        Assert.That(error.Message, Does.Contain("without Graph's error JSON"));
    }

    [Test]
    public async Task The_access_token_of_the_request_never_appears()
    {
        const string token = "TOKEN.must-never-appear";
        using var request = new HttpRequestMessage(HttpMethod.Patch, "identity/conditionalAccess/namedLocations/x");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = Answer(401, GraphError("InvalidAuthenticationToken", "Access token validation failure."));
        response.RequestMessage = request;

        var error = await GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);

        Assert.That(error.ToString(), Does.Not.Contain(token).And.Not.Contain("TOKEN"));
    }

    [TestCase(true, false, TestName = "A body that arrives late is read without the caller's synchronization context")]
    [TestCase(false, true, TestName = "A body read slowly is read without the caller's synchronization context")]
    public async Task Reading_the_error_never_resumes_on_the_callers_context(bool slowToOpen, bool slowToRead)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new SlowContent(GraphError("BadRequest", "Invalid CIDR"), slowToOpen, slowToRead) };
        var context = new CountingContext();
        Task<EntraException> mapping;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            mapping = GraphFailures.FromResponseAsync(response, GraphOperation.UpdateLocation, SentClientRequestId, CancellationToken.None);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var error = await mapping.ConfigureAwait(false);

        Assert.That(error.GraphErrorCode, Is.EqualTo("BadRequest"));
        Assert.That(context.Posts, Is.Zero, "a library must not post back to a UI or legacy ASP.NET context, or a caller blocking on it deadlocks");
    }

    private static HttpResponseMessage Answer(int status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private static string GraphError(string code, string message) =>
        """{"error":{"code":"CODE","message":"MESSAGE","innerError":{"date":"2026-11-22T03:00:00","request-id":"body-request-id","client-request-id":"body-client-id"}}}"""
            .Replace("CODE", code, StringComparison.Ordinal)
            .Replace("MESSAGE", message, StringComparison.Ordinal);

    private static TestCaseData Case(GraphOperation operation, int status, EntraErrorCode code, bool transient) =>
        new TestCaseData(operation, status, code, transient).SetName($"{operation} answered {status} is {EntraErrorCatalog.Format(code)}{(transient ? ", transient" : string.Empty)}");

    /// <summary>Runs what is posted to it on the thread pool, counting the posts.</summary>
    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }

    /// <summary>A body whose stream is handed over, or whose bytes arrive, only after the caller has moved on.</summary>
    private sealed class SlowContent(string body, bool slowToOpen, bool slowToRead) : HttpContent
    {
        protected override async Task<Stream> CreateContentReadStreamAsync()
        {
            if (slowToOpen)
            {
                await Task.Delay(1).ConfigureAwait(false);
            }

            return new SlowStream(Encoding.UTF8.GetBytes(body), slowToRead);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => throw new NotSupportedException();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class SlowStream(byte[] bytes, bool slow) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (slow)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset while reading");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("connection reset while reading");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("connection reset while reading");
    }
}
