using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;

namespace Knocknoc.Entra.Sdk.Tests.Errors;

/// <summary>What the network layer throws, and the ENTRA code, retry hint and explanation it becomes.</summary>
public class NetworkFailuresTests
{
    private const string ClientRequestId = "client-42";

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return Case("A refused certificate", new AuthenticationException("The remote certificate is invalid"), EntraErrorCode.TlsFailure, false, "the TLS handshake failed: The remote certificate is invalid.");
        yield return Case("A Polly attempt timeout", new TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:30'."), EntraErrorCode.Timeout, true, "no answer within the configured timeout.");
        yield return Case("A connect timeout", new TaskCanceledException("timed out", new TimeoutException("A connection could not be established within 15 seconds.")), EntraErrorCode.Timeout, true, "no answer within the configured timeout.");
        yield return Case("A TLS error reported by HttpClient", new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established"), EntraErrorCode.TlsFailure, false, "The SSL connection could not be established.");
        yield return Case("A TLS error wrapped without its kind", new HttpRequestException("The SSL connection could not be established", new AuthenticationException("Cannot determine the frame size")), EntraErrorCode.TlsFailure, false, "the TLS handshake failed: Cannot determine the frame size.");
        yield return Case("A DNS failure", new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (graph.test:443)"), EntraErrorCode.ConnectionFailed, true, "the host name could not be resolved: Name or service not known (graph.test:443).");
        yield return Case("Garbage instead of HTTP", new HttpRequestException(HttpRequestError.InvalidResponse, "Received an invalid status line"), EntraErrorCode.UnexpectedResponse, true, "the answer was not valid HTTP: Received an invalid status line.");
        yield return Case("A connection closed mid-answer", new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"), EntraErrorCode.ConnectionFailed, true, "the connection closed before the answer ended: The response ended prematurely.");
        yield return Case("A refused connection", new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (graph.test:443)"), EntraErrorCode.ConnectionFailed, true, "Connection refused (graph.test:443).");
        yield return Case("A socket error", new SocketException((int)SocketError.NetworkUnreachable), EntraErrorCode.ConnectionFailed, true, new SocketException((int)SocketError.NetworkUnreachable).Message);
        yield return Case("A bare I/O error", new IOException("Unable to read data from the transport connection"), EntraErrorCode.ConnectionFailed, true, "Unable to read data from the transport connection.");
        yield return Case("A reset socket inside an I/O error", new IOException("Unable to read data", new SocketException((int)SocketError.ConnectionReset)), EntraErrorCode.ConnectionFailed, true, new SocketException((int)SocketError.ConnectionReset).Message);
        yield return Case("A failure deep in the chain", new InvalidOperationException("outer", new TimeoutException("inner")), EntraErrorCode.Timeout, true, "no answer within the configured timeout.");
    }

    [TestCaseSource(nameof(Failures))]
    public void A_network_failure_becomes_its_ENTRA_code(Exception thrown, EntraErrorCode code, bool transient, string detail)
    {
        var error = NetworkFailures.TryMap(thrown, ClientRequestId);

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Code, Is.EqualTo(code));
        Assert.That(error.IsTransient, Is.EqualTo(transient), "transient");
        Assert.That(error.Message, Does.StartWith($"(agent error #{EntraErrorCatalog.Format(code)}) {EntraErrorCatalog.Describe(code)}. {detail}"));
        Assert.That(error.ClientRequestId, Is.EqualTo(ClientRequestId));
        Assert.That(error.InnerException, Is.SameAs(thrown), "the whole original exception is kept as the cause");
        Assert.That(error.StatusCode, Is.Null);
        Assert.That(error.AuthenticationFailure, Is.Null);
    }

    private static IEnumerable<TestCaseData> NotNetwork()
    {
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("A bug is not a network failure");
        yield return new TestCaseData(new IOException("Unable to read data", new InvalidOperationException("a bug"))).SetName("An I/O error is judged by its cause");
        yield return new TestCaseData(new EntraException(EntraErrorCode.NamedLocationNotFound)).SetName("An ENTRA failure is not mapped again");
    }

    [TestCaseSource(nameof(NotNetwork))]
    public void Anything_else_is_left_alone(Exception thrown) =>
        Assert.That(NetworkFailures.TryMap(thrown, ClientRequestId), Is.Null);

    [Test]
    public void Without_a_client_request_id_none_is_invented() =>
        Assert.That(NetworkFailures.TryMap(new SocketException((int)SocketError.HostUnreachable), clientRequestId: null)!.ClientRequestId, Is.Null);

    private static TestCaseData Case(string name, Exception thrown, EntraErrorCode code, bool transient, string detail) =>
        new TestCaseData(thrown, code, transient, detail).SetName($"{name} is {EntraErrorCatalog.Format(code)}");
}
