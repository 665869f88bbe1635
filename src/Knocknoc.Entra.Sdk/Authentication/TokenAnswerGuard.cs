using System.Text.Json;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Stands between MSAL and the transport and refuses a successful answer that is not a JSON object: a captive portal
/// or proxy answering 200 with its own page. MSAL would otherwise fail on it with whatever its parser throws (a raw
/// <see cref="JsonException"/>, even a <see cref="NullReferenceException"/> for an empty body) and the SDK could not
/// tell that from refused credentials. Such an answer is ENTRA054 and transient: the network path, not the app, is wrong.
/// </summary>
/// <remarks>
/// Only 2xx answers are checked: error answers keep going to MSAL, which reports an unreadable one as
/// <c>non_parsable_oauth_error</c> (<see cref="MsalFailures"/>), and some managed identity endpoints answer a first
/// 401 without a body by design. Every answer Entra and the managed identity endpoints give with 2xx is a JSON object.
/// </remarks>
internal sealed class TokenAnswerGuard : DelegatingHandler
{
    /// <summary>The largest answer read: a token answer is a few kilobytes; anything far bigger is not one.</summary>
    private const long MaxAnswerBytes = 1024 * 1024;

    public TokenAnswerGuard(HttpMessageHandler transport)
        : base(transport)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A gate's transport may carry its Graph resilience pipeline: sign-in requests pass through it untouched.
        request.Options.Set(GraphRequestOptions.IsSignIn, true);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || await IsJsonObjectAsync(response.Content, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no media type";
        var host = request.RequestUri?.Host ?? "the sign-in host";
        response.Dispose();

        // Neither the request (it carries the client secret) nor the body (any page at all) goes into the message.
        throw new EntraException(
            new EntraFailure(EntraErrorCode.UnexpectedResponse)
            {
                Detail = $"the sign-in host {host} answered {status} ({mediaType}) with something that is not Entra's JSON token answer; "
                    + "a captive portal or a proxy may be answering in its place",
                StatusCode = (System.Net.HttpStatusCode)status,
                IsTransient = true,
            },
            innerException: null);
    }

    private static async Task<bool> IsJsonObjectAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered so MSAL reads the same bytes after this look.
            await content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
            var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (HttpRequestException tooBig) when (tooBig.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // Over the buffer limit: no token answer is that big. A connection lost mid-body stays a network failure.
            return false;
        }
    }
}
