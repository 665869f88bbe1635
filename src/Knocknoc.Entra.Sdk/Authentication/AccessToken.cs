namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>A bearer token for Microsoft Graph. Its text never appears in <see cref="ToString"/>.</summary>
/// <param name="Token">The bearer token itself; sent only as the Authorization header to the configured Graph host.</param>
/// <param name="ExpiresOn">When the token stops being accepted.</param>
public readonly record struct AccessToken(string Token, DateTimeOffset ExpiresOn)
{
    /// <summary>Describes the token without revealing it.</summary>
    /// <returns>Text such as <c>AccessToken(expires 2026-11-22T03:00:00Z)</c>.</returns>
    public override string ToString() => $"AccessToken(expires {ExpiresOn:u})";
}
