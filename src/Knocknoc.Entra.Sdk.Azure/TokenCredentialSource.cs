using Azure.Core;
using Knocknoc.Entra.Sdk.Authentication;
using SdkAccessToken = Knocknoc.Entra.Sdk.Authentication.AccessToken;

namespace Knocknoc.Entra.Sdk.Azure;

/// <summary>
/// Graph tokens from any Azure.Core <see cref="TokenCredential"/> (<c>DefaultAzureCredential</c>,
/// <c>WorkloadIdentityCredential</c>, <c>ManagedIdentityCredential</c>, ...), for the gate's
/// <c>NamedLocationGateOptions.TokenSource</c> or <c>NamedLocationClientOptions.TokenSource</c>. It asks for the
/// configured cloud's Graph scope, keeps the token until five minutes before it expires (or until the credential's own
/// <c>RefreshOn</c>: some credentials, such as the Azure CLI's, cache nothing themselves), and reports failures with the
/// SDK's ENTRA codes, transient where a retry can help.
/// </summary>
public sealed class TokenCredentialSource : IAccessTokenSource
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TimeProvider _time;
    private readonly TokenRequestContext _request;
    private Cached? _cached;

    /// <summary>Creates a source for <paramref name="cloud"/>'s Graph.</summary>
    /// <param name="credential">The credential; its own options (authority host, tenant) must match the cloud.</param>
    /// <param name="cloud">The cloud whose Graph scope is asked for: the same as the gate's <c>Cloud</c>.</param>
    /// <param name="timeProvider">The clock that decides when a kept token is due for renewal; the system clock by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="credential"/> or <paramref name="cloud"/> is null.</exception>
    public TokenCredentialSource(TokenCredential credential, EntraCloud cloud, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(cloud);
        _credential = credential;
        _time = timeProvider ?? TimeProvider.System;
        Cloud = cloud;
        _request = new TokenRequestContext([cloud.GraphScope]);
    }

    /// <summary>Gets the cloud whose Graph the tokens are for.</summary>
    public EntraCloud Cloud { get; }

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="forceRefresh"/> (after Graph refused a token with 401) skips the token kept here; a credential
    /// that caches tokens itself may still return its cached one, since <see cref="TokenRequestContext"/> has no way to
    /// ask it not to.
    /// </remarks>
    public async ValueTask<SdkAccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (!forceRefresh && _cached is { } cached && now < cached.RenewAt)
        {
            return cached.Token;
        }

        global::Azure.Core.AccessToken token;
        try
        {
            token = await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Whatever the credential throws (Azure.Identity's AuthenticationFailedException and
            // CredentialUnavailableException, network failures inside them) gets the SDK's code, so the gate's retries
            // and the host's alerts treat it like any other sign-in failure.
            throw TokenFailures.Map(exception);
        }

        var result = new SdkAccessToken(token.Token, token.ExpiresOn);
        var renewAt = token.RefreshOn ?? token.ExpiresOn - RefreshMargin;
        _cached = new Cached(result, renewAt);
        return result;
    }

    /// <summary>Describes the source without any token.</summary>
    /// <returns>Text such as <c>TokenCredentialSource(DefaultAzureCredential, https://graph.microsoft.com/.default)</c>.</returns>
    public override string ToString() => $"TokenCredentialSource({_credential.GetType().Name}, {Cloud.GraphScope})";

    private sealed record Cached(SdkAccessToken Token, DateTimeOffset RenewAt);
}
