namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>An app registration in an emulated tenant. Its secret never appears in <see cref="ToString"/>.</summary>
public sealed class EmulatedApplication
{
    internal EmulatedApplication(string clientId, string clientSecret, GraphPermissions permissions)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
        Permissions = permissions;
    }

    /// <summary>Gets the application (client) id.</summary>
    public string ClientId { get; }

    /// <summary>Gets the client secret's value, for configuring the SDK under test.</summary>
    public string ClientSecret { get; }

    /// <summary>Gets or sets the consented application permissions.</summary>
    public GraphPermissions Permissions { get; set; }

    /// <summary>Gets or sets a value indicating whether the secret has expired (AADSTS7000222).</summary>
    public bool SecretExpired { get; set; }

    /// <summary>Gets or sets a value indicating whether a client assertion (certificate or federated token) is accepted instead of the secret.</summary>
    public bool AcceptsClientAssertions { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"EmulatedApplication({ClientId}, {Permissions})";
}
