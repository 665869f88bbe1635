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

    /// <summary>How to sign in without a secret: <see cref="ManagedIdentity"/>; by default the secret or certificate given decides.</summary>
    public const string Credential = "credential";

    /// <summary>The <see cref="Credential"/> value that signs in as the host's Azure managed identity.</summary>
    public const string ManagedIdentity = "managed_identity";

    /// <summary>A certificate with its private key: a PFX (<c>.pfx</c>, <c>.p12</c>) or PEM (<c>.pem</c>, <c>.crt</c>) file.</summary>
    public const string CertificateFile = "certificate_file";

    /// <summary>The PEM file of the certificate's private key, when it is not in <see cref="CertificateFile"/>.</summary>
    public const string CertificateKeyFile = "certificate_key_file";

    /// <summary>The PFX file's password (never an option).</summary>
    public const string CertificatePassword = "certificate_password";

    /// <summary>A certificate in the user's (or, with <see cref="CertificateStore"/>, the machine's) personal store, by thumbprint.</summary>
    public const string CertificateThumbprint = "certificate_thumbprint";

    /// <summary>The store of <see cref="CertificateThumbprint"/>: <c>CurrentUser</c> (the default) or <c>LocalMachine</c>.</summary>
    public const string CertificateStore = "certificate_store";

    /// <summary>A PEM file of the only root certificates trusted for <see cref="GraphUrl"/> and <see cref="AuthorityHost"/> (a private CA, an emulator's certificate).</summary>
    public const string CaFile = "ca_file";

    /// <summary>The Graph root (default: the global cloud's).</summary>
    public const string GraphUrl = "graph_url";

    /// <summary>The token scope, when it is not <see cref="GraphUrl"/> followed by <c>/.default</c> (a proxy in front of Graph).</summary>
    public const string GraphScope = "graph_scope";

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

    /// <summary>
    /// The connection string of the PostgreSQL database the location's grants are shared through (with agent hosts and
    /// the tool on other machines), instead of the local state. A secret: it may carry a password, and is never printed.
    /// </summary>
    public const string PostgresConnection = "postgres_connection";

    /// <summary>The prefix of the explicit ACL keys, <c>acl.NAME=LOCATION-ID</c>.</summary>
    public const string AclPrefix = "acl.";

    /// <summary>The environment variable that names the configuration file.</summary>
    public const string ConfigVariable = "KNOCKNOC_ENTRA_CONFIG";

    /// <summary>The prefix of the environment variables (the key in capitals follows).</summary>
    public const string VariablePrefix = "KNOCKNOC_ENTRA_";

    /// <summary>Gets every plain key (the <c>acl.</c> keys aside).</summary>
    public static IReadOnlyList<string> All { get; } =
        [
            TenantId, ClientId, ClientSecret, ClientSecretFile, Credential, CertificateFile, CertificateKeyFile, CertificatePassword,
            CertificateThumbprint, CertificateStore, GraphUrl, GraphScope, AuthorityHost, CaFile, LocationId, LocationName, NamePrefix, StateDir, PostgresConnection,
        ];

    /// <summary>Gets the keys that environment variables set.</summary>
    public static IReadOnlyList<string> FromEnvironment { get; } =
        [
            TenantId, ClientId, ClientSecret, ClientSecretFile, Credential, CertificateFile, CertificateKeyFile, CertificatePassword,
            CertificateThumbprint, CertificateStore, GraphUrl, GraphScope, AuthorityHost, CaFile, LocationId, LocationName, StateDir, PostgresConnection,
        ];

    /// <summary>What a key sets, in a few words (for <c>--help</c>).</summary>
    /// <param name="key">A key of <see cref="All"/>.</param>
    /// <returns>The words.</returns>
    public static string Describe(string key) => key switch
    {
        TenantId => "the directory (tenant) id",
        ClientId => "the application (client) id; with a managed identity, a user-assigned identity's",
        ClientSecret => "the client secret's value",
        ClientSecretFile => "a file holding the client secret",
        Credential => $"{ManagedIdentity} to sign in as the host's Azure managed identity",
        CertificateFile => "a certificate with its private key, PFX or PEM, instead of a secret",
        CertificateKeyFile => "the certificate's private key (PEM), when apart from it",
        CertificatePassword => "the PFX file's password",
        CertificateThumbprint => "a certificate in the personal store, by thumbprint, instead of a secret",
        CertificateStore => "that store: CurrentUser (the default) or LocalMachine",
        GraphUrl => "the Graph root (default: the global cloud's)",
        GraphScope => "the token scope, when not graph_url's own (a proxy in front of Graph)",
        AuthorityHost => "the sign-in host (default: the global cloud's)",
        CaFile => "the only roots trusted for those endpoints (PEM), instead of the machine's",
        LocationId => "the named location's id",
        LocationName => "the named location's display name",
        NamePrefix => "the name guard: only locations whose names start with it are touched",
        StateDir => "the queues, locks and journals",
        PostgresConnection => "a PostgreSQL connection string: share the grants through that database instead of state_dir (a secret, never printed)",
        _ => key,
    };

    /// <summary>The environment variable of a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Its variable, such as <c>KNOCKNOC_ENTRA_TENANT_ID</c>.</returns>
    public static string Variable(string key) => VariablePrefix + key.ToUpperInvariant();
}
