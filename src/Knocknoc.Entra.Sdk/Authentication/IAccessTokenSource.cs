namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>Where Graph bearer tokens come from. The SDK's own implementation wraps MSAL and its token cache.</summary>
public interface IAccessTokenSource
{
    /// <summary>Gets a token for Microsoft Graph, from the cache unless <paramref name="forceRefresh"/>.</summary>
    /// <param name="forceRefresh">Bypass the cache: only after Graph refused the cached token with 401.</param>
    /// <param name="cancellationToken">Cancels the acquisition.</param>
    /// <returns>The token.</returns>
    /// <exception cref="EntraException">ENTRA000, 001, 003 or 004 when no token can be had.</exception>
    ValueTask<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default);
}
