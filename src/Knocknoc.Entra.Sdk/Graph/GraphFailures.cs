using System.Text.Json;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph.Wire;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>Turns a Graph answer that is not a success into the ENTRA code it means. Branches on status and Graph's code, never on the message.</summary>
internal static class GraphFailures
{
    /// <summary>Error bodies are small; anything larger is not Graph's and is not read further.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<EntraException> FromResponseAsync(HttpResponseMessage response, GraphOperation operation, string clientRequestId, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var error = await TryReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var code = (int)status switch
        {
            401 => EntraErrorCode.AuthenticationFailed,
            _ when operation.HasOwnCode() => operation.FailureCode(),
            403 => EntraErrorCode.AuthorizationFailed,
            404 when operation.TargetsOneLocation() => EntraErrorCode.NamedLocationNotFound,
            429 => EntraErrorCode.Throttled,
            >= 300 and < 400 or 511 => EntraErrorCode.UnexpectedResponse,
            _ => operation.FailureCode(),
        };

        var detail = code switch
        {
            EntraErrorCode.UnexpectedResponse => $"Graph answered {(int)status} {response.ReasonPhrase} instead of a result (a redirect or a network sign-in page)",
            EntraErrorCode.AuthenticationFailed => $"Graph refused the access token even after a refresh{Reason(error)}",
            _ when error is null => $"Graph answered {(int)status} {response.ReasonPhrase} without Graph's error JSON (a proxy may have answered)",
            _ => Reason(error).TrimStart(':', ' '),
        };

        return new EntraException(
            new EntraFailure(code)
            {
                Detail = detail,
                StatusCode = status,
                GraphErrorCode = error?.Code,
                RequestId = Header(response, "request-id") ?? error?.InnerError?.RequestId,
                ClientRequestId = Header(response, "client-request-id") ?? error?.InnerError?.ClientRequestId ?? clientRequestId,
                IsTransient = TransientStatus.Is(status),
            },
            innerException: null);
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    /// <summary>How much of Graph's message an error quotes: Graph's run to a few sentences; a proxy's could be anything.</summary>
    private const int MaxReasonLength = 400;

    private static string Reason(GraphError? error) =>
        error?.Message is { Length: > 0 } message ? $": {ShownText.Of(message.Trim(), MaxReasonLength)}" : string.Empty;

    private static async Task<GraphError?> TryReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxErrorBodyBytes)
        {
            return null;
        }

        try
        {
            // Bounded even without a Content-Length: past the limit the stream fails as malformed JSON.
            var body = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), MaxErrorBodyBytes);
            await using (body.ConfigureAwait(false))
            {
                return (await JsonSerializer.DeserializeAsync(body, GraphJsonContext.Default.GraphErrorEnvelope, cancellationToken).ConfigureAwait(false))?.Error;
            }
        }
        // Stryker disable Block : the catch blocks below only return null, and Stryker empties a block of this method into returning default, which is null
        catch (JsonException)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
