using System.Net;
using System.Net.Http.Headers;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Resilience;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Puts the bearer token on requests to the configured Graph host, and on no other. A 401 forces exactly one
/// token refresh and one resend (paced like any request), never a loop. The last handler before the transport, it
/// tells the request's pacing turn when the request leaves and when its answer arrives.
/// </summary>
internal sealed class GraphAuthenticationHandler(IAccessTokenSource tokens, Uri graphRoot) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequireGraphHost(request);
        request.Options.TryGetValue(PacingTurn.Key, out var turn);
        var token = await tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var response = await SendPacedAsync(request, turn, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();

        // A transport may have moved the request elsewhere (a redirect): the fresh token goes to Graph or nowhere.
        RequireGraphHost(request);
        if (turn is not null)
        {
            await turn.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        }

        token = await tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return await SendPacedAsync(request, turn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends, stamping the turn at the send and again when the headers arrive (or the send fails): Graph counted the
    /// request somewhere in between, a new connection's TLS handshake included.
    /// </summary>
    private async Task<HttpResponseMessage> SendPacedAsync(HttpRequestMessage request, PacingTurn? turn, CancellationToken cancellationToken)
    {
        turn?.Sending();
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            turn?.Answered();
        }
    }

    private void RequireGraphHost(HttpRequestMessage request)
    {
        var target = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (Uri.Compare(target, graphRoot, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            // A next-page link or redirect that leaves the Graph host never gets the token.
            throw new EntraException(EntraErrorCode.UnexpectedResponse, $"Graph pointed to another host ({target.GetLeftPart(UriPartial.Authority)}); the token is sent only to {graphRoot.GetLeftPart(UriPartial.Authority)}");
        }
    }
}
