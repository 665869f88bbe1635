namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>The configuration keys, as the file spells them, and the environment variables that set them.</summary>
internal static class SettingKeys
{
    /// <summary>The directory (tenant) id.</summary>
    public const string TenantId = "tenant_id";

    /// <summary>The application (client) id.</summary>
    public const string ClientId = "client_id";

    /// <summary>The client secret itself.</summary>
    public const string ClientSecret = "client_secret";

    /// <summary>A file holding the client secret.</summary>
    public const string ClientSecretFile = "client_secret_file";

    /// <summary>The Graph root (default: the global cloud's).</summary>
    public const string GraphUrl = "graph_url";

    /// <summary>The sign-in host (default: the global cloud's).</summary>
    public const string AuthorityHost = "authority_host";

    /// <summary>The id of the named location the operator commands work on.</summary>
    public const string LocationId = "location_id";

    /// <summary>The display name of that location.</summary>
    public const string LocationName = "location_name";

    /// <summary>The name guard: only locations whose display name starts with it are touched.</summary>
    public const string NamePrefix = "name_prefix";

    /// <summary>Where the script backend keeps its spool and lock.</summary>
    public const string StateDir = "state_dir";

    /// <summary>The prefix of the explicit ACL keys, <c>acl.NAME=LOCATION-ID</c>.</summary>
    public const string AclPrefix = "acl.";

    /// <summary>The environment variable that names the configuration file.</summary>
    public const string ConfigVariable = "KNOCKNOC_ENTRA_CONFIG";

    /// <summary>The prefix of the environment variables (the key in capitals follows).</summary>
    public const string VariablePrefix = "KNOCKNOC_ENTRA_";

    /// <summary>Gets every plain key (the <c>acl.</c> keys aside).</summary>
    public static IReadOnlyList<string> All { get; } =
        [TenantId, ClientId, ClientSecret, ClientSecretFile, GraphUrl, AuthorityHost, LocationId, LocationName, NamePrefix, StateDir];

    /// <summary>Gets the keys that environment variables set.</summary>
    public static IReadOnlyList<string> FromEnvironment { get; } =
        [TenantId, ClientId, ClientSecret, ClientSecretFile, GraphUrl, AuthorityHost, LocationId, LocationName, StateDir];

    /// <summary>The environment variable of a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Its variable, such as <c>KNOCKNOC_ENTRA_TENANT_ID</c>.</returns>
    public static string Variable(string key) => VariablePrefix + key.ToUpperInvariant();
}
