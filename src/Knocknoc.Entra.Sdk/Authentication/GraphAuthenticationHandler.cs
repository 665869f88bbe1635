using System.Net;
using System.Net.Http.Headers;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Puts the bearer token on requests to the configured Graph host, and on no other. A 401 forces exactly one
/// token refresh and one resend, never a loop. It sits above the resilience handler: the token is fetched before the
/// request takes its pacing turn, and the resend after a 401 goes through the pipeline again, paced like any request.
/// </summary>
internal sealed class GraphAuthenticationHandler(IAccessTokenSource tokens, Uri graphRoot) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequireGraphHost(request);
        var token = await tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();

        // A transport may have moved the request elsewhere (a redirect): the fresh token goes to Graph or nowhere.
        RequireGraphHost(request);
        token = await tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
