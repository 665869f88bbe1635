using System.Net;
using System.Net.Http.Headers;
using Knocknoc.Entra.Sdk.Errors;
using Knocknoc.Entra.Sdk.Resilience;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Puts the bearer token on requests to the configured Graph host, and on no other. A 401 forces exactly one
/// token refresh and one resend (paced like any request), never a loop.
/// </summary>
internal sealed class GraphAuthenticationHandler(IAccessTokenSource tokens, Uri graphRoot, TenantRateLimiter limiter, TimeSpan interval) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequireGraphHost(request);
        var token = await tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        limiter.MarkSent(interval);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();

        // A transport may have moved the request elsewhere (a redirect): the fresh token goes to Graph or nowhere.
        RequireGraphHost(request);
        await limiter.WaitAsync(interval, cancellationToken).ConfigureAwait(false);
        token = await tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        limiter.MarkSent(interval);
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
