namespace Knocknoc.Entra.Cli.Emulator;

/// <summary>What a client needs to talk to a running emulator, as <c>emulator</c> prints it (and as <c>--json</c> gives it).</summary>
/// <param name="GraphUrl">The Graph root (its v1.0 API is under it).</param>
/// <param name="AuthorityHost">The sign-in host: tokens come from <c>{AuthorityHost}{TenantId}/oauth2/v2.0/token</c>.</param>
/// <param name="TokenEndpoint">The tenant's token endpoint.</param>
/// <param name="Scope">The scope to ask a token for (client credentials): Graph's own, as any Graph client asks.</param>
/// <param name="TenantId">The tenant's id.</param>
/// <param name="ClientId">The ready test app's client id.</param>
/// <param name="ClientSecret">Its secret: a throwaway of this emulator process, worthless elsewhere.</param>
/// <param name="LocationId">The id of the IP named location created at start.</param>
/// <param name="LocationName">Its display name.</param>
/// <param name="CertificateFile">The PEM file with the server's certificate, the one root to trust.</param>
/// <param name="RateLimitInterval">The shortest time between two accepted Graph requests of the tenant, in seconds (0: no limit).</param>
/// <param name="ControlUrl">The control surface (faults, apps, locations, policies, settings, token expiry, journal, reset), loopback only.</param>
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
    double RateLimitInterval,
    Uri ControlUrl)
{
    /// <summary>Gets the shell lines that point <c>knocknoc-entra</c> and curl at this emulator, for copy and paste.</summary>
    /// <returns>One <c>export</c> line per setting, values single-quoted.</returns>
    public IReadOnlyList<string> ExportLines() =>
    [
        Export("KNOCKNOC_ENTRA_TENANT_ID", TenantId),
        Export("KNOCKNOC_ENTRA_CLIENT_ID", ClientId),
        Export("KNOCKNOC_ENTRA_CLIENT_SECRET", ClientSecret),
        Export("KNOCKNOC_ENTRA_GRAPH_URL", GraphUrl.ToString()),
        Export("KNOCKNOC_ENTRA_AUTHORITY_HOST", AuthorityHost.ToString()),
        Export("KNOCKNOC_ENTRA_LOCATION_ID", LocationId),
        Export("KNOCKNOC_ENTRA_CA_FILE", CertificateFile),
        Export("CURL_CA_BUNDLE", CertificateFile),
    ];

    // Single quotes keep every character as it is; a quote inside is closed, escaped and reopened.
    private static string Export(string name, string value) => $"export {name}='{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
