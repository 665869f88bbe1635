using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Knocknoc.Entra.Sdk.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Tokens from MSAL's app token cache. One MSAL application per cloud, tenant, client and credential (and
/// transport), so every client of the same app in the process shares its cache; MSAL refreshes before expiry.
/// </summary>
internal sealed class MsalAccessTokenSource : IAccessTokenSource
{
    private static readonly ConditionalWeakTable<HttpMessageHandler, ConcurrentDictionary<string, Lazy<object>>> Applications = [];

    private readonly EntraCredential _credential;
    private readonly EntraCloud _cloud;
    private readonly object _application;
    private readonly ILogger _logger;

    public MsalAccessTokenSource(EntraCredential credential, EntraCloud cloud, HttpMessageHandler transport, ILogger logger)
    {
        _credential = credential;
        _cloud = cloud;
        _logger = logger;
        var factory = new MsalHttpClientFactory(transport);
        var key = $"{cloud.AuthorityHost}|{credential.TenantId}|{credential.ClientId}|{credential.CacheKey}";
        _application = Applications.GetValue(transport, static _ => new ConcurrentDictionary<string, Lazy<object>>())
            .GetOrAdd(key, _ => new Lazy<object>(() => Build(credential, cloud, factory, new MsalLogger(logger))))
            .Value;
    }

    public async ValueTask<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = _application switch
            {
                IConfidentialClientApplication app => await app.AcquireTokenForClient([_cloud.GraphScope])
                    .WithForceRefresh(forceRefresh)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false),
                IManagedIdentityApplication app => await app.AcquireTokenForManagedIdentity(_cloud.GraphResource)
                    .WithForceRefresh(forceRefresh)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException("Unknown MSAL application type."),
            };

            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                // The description, never the object: a structured log provider could serialize its properties.
                var description = _credential.ToString();
                Log.TokenAcquired(_logger, description, result.ExpiresOn);
            }

            return new AccessToken(result.AccessToken, result.ExpiresOn);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is MsalException or HttpRequestException or OperationCanceledException or EntraException or System.Text.Json.JsonException)
        {
            // EntraException: the token answer guard refused a page answering in Entra's place (ENTRA054), possibly
            // wrapped by MSAL. JsonException: MSAL's parser failed on an answer the guard let through.
            var failure = MsalFailures.Map(exception);
            Log.Failure(_logger, failure);
            throw failure;
        }
    }

    // One MSAL application per transport and app is shared by the clients that use them, so its log goes to the logger
    // of the client that built it: in a host, the same logger factory's.
    private static object Build(EntraCredential credential, EntraCloud cloud, IMsalHttpClientFactory factory, MsalLogger log)
    {
        if (credential is EntraCredential.ManagedIdentityCredential managed)
        {
            var id = managed.ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.WithUserAssignedClientId(managed.ClientId);
            return ManagedIdentityApplicationBuilder.Create(id).WithHttpClientFactory(factory).WithLogging(log, enablePiiLogging: false).Build();
        }

        var builder = ConfidentialClientApplicationBuilder.Create(credential.ClientId)
            .WithAuthority(new Uri(cloud.AuthorityHost, credential.TenantId).AbsoluteUri, validateAuthority: cloud.IsKnown)
            .WithHttpClientFactory(factory)
            .WithLogging(log, enablePiiLogging: false);

        // Instance discovery asks Microsoft's global host about the authority: meaningless for an emulator or proxy.
        builder = builder.WithInstanceDiscovery(cloud.IsKnown);
        builder = credential switch
        {
            EntraCredential.ClientSecretCredential secret => builder.WithClientSecret(secret.Secret),
            EntraCredential.CertificateCredential certificate => builder.WithCertificate(certificate.SigningCertificate, sendX5C: true),
            EntraCredential.ClientAssertionCredential assertion => builder.WithClientAssertion(options => assertion.GetAssertion(options.CancellationToken)),
            _ => throw new ArgumentException($"Unsupported credential {credential}.", nameof(credential)),
        };

        return builder.Build();
    }
}
