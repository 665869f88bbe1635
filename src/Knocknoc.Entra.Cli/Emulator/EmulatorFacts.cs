namespace Knocknoc.Entra.Cli.Emulator;

/// <summary>What a client needs to talk to a running emulator, as <c>emulator</c> prints it (and as <c>--json</c> gives it).</summary>
/// <param name="GraphUrl">The Graph root (its v1.0 API is under it).</param>
/// <param name="AuthorityHost">The sign-in host: tokens come from <c>{AuthorityHost}{TenantId}/oauth2/v2.0/token</c>.</param>
/// <param name="TokenEndpoint">The tenant's token endpoint.</param>
/// <param name="Scope">The scope to ask a token for (client credentials).</param>
/// <param name="TenantId">The tenant's id.</param>
/// <param name="ClientId">The ready test app's client id.</param>
/// <param name="ClientSecret">Its secret: a throwaway of this emulator process, worthless elsewhere.</param>
/// <param name="LocationId">The id of the IP named location created at start.</param>
/// <param name="LocationName">Its display name.</param>
/// <param name="CertificateFile">The PEM file with the server's certificate, the one root to trust.</param>
/// <param name="RateLimitInterval">The shortest time between two accepted Graph requests of the tenant, in seconds (0: no limit).</param>
internal sealed record EmulatorFacts(
    Uri GraphUrl,
    Uri AuthorityHost,
    Uri TokenEndpoint,
    string Scope,
    string TenantId,
    string ClientId,
    string ClientSecret,
    string LocationId,
    string LocationName,
    string CertificateFile,
    double RateLimitInterval);
