using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;

namespace Knocknoc.Entra.Sdk;

/// <summary>Turns what the network layer throws into ENTRA000 (connect), 003 (TLS), 004 (timeout) or 054 (garbled answer).</summary>
internal static class NetworkFailures
{
    public static EntraException? TryMap(Exception exception, string? clientRequestId)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var failure = current switch
            {
                EntraException => null,
                AuthenticationException => Failure(EntraErrorCode.TlsFailure, "the TLS handshake failed: " + current.Message, transient: false),
                TimeoutRejectedException or TimeoutException => Failure(EntraErrorCode.Timeout, "no answer within the configured timeout", transient: true),
                HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } http =>
                    Failure(EntraErrorCode.TlsFailure, http.Message, transient: false),
                HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } http =>
                    Failure(EntraErrorCode.ConnectionFailed, "the host name could not be resolved: " + http.Message, transient: true),
                HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } http =>
                    Failure(EntraErrorCode.UnexpectedResponse, "the answer was not valid HTTP: " + http.Message, transient: true),
                HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } http =>
                    Failure(EntraErrorCode.ConnectionFailed, "the connection closed before the answer ended: " + http.Message, transient: true),
                HttpRequestException http when http.InnerException is AuthenticationException => null,
                HttpRequestException http => Failure(EntraErrorCode.ConnectionFailed, http.Message, transient: true),
                SocketException socket => Failure(EntraErrorCode.ConnectionFailed, socket.Message, transient: true),
                IOException io when io.InnerException is null => Failure(EntraErrorCode.ConnectionFailed, io.Message, transient: true),
                _ => null,
            };

            if (failure is not null)
            {
                return new EntraException(failure with { ClientRequestId = clientRequestId }, exception);
            }
        }

        return null;
    }

    private static EntraFailure Failure(EntraErrorCode code, string detail, bool transient) =>
        new(code) { Detail = detail, IsTransient = transient };
}
