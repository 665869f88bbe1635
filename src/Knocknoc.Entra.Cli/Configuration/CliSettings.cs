using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>
/// The tool's settings, merged from (lowest to highest precedence) the configuration file, environment variables
/// and command options. The client secret comes from the file, <c>KNOCKNOC_ENTRA_CLIENT_SECRET</c> or a secret file,
/// never from the command line, and is never printed.
/// </summary>
internal sealed partial class CliSettings
{
    /// <summary>The default name guard prefix.</summary>
    public const string DefaultNamePrefix = "knocknoc_";

    // Groups where the layer that sets any one decides them all: a secret in the environment overrides a secret file or
    // a certificate named in the configuration file, a --location-id overrides a location_name from the file.
    private static readonly string[][] Alternatives =
    [
        CliCredential.Choices,
        [SettingKeys.LocationId, SettingKeys.LocationName],
    ];

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly string? _defaultStateDirectory;

    private CliSettings(IReadOnlyDictionary<string, string> values, string? configFile, string? defaultStateDirectory)
    {
        _values = values;
        ConfigFile = configFile;
        _defaultStateDirectory = defaultStateDirectory;
        Acls = values
            .Where(pair => pair.Key.StartsWith(SettingKeys.AclPrefix, StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key[SettingKeys.AclPrefix.Length..], pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>Gets the configuration file read, or null when none was.</summary>
    public string? ConfigFile { get; }

    /// <summary>Gets the tenant id.</summary>
    public string? TenantId => Get(SettingKeys.TenantId);

    /// <summary>Gets the client id.</summary>
    public string? ClientId => Get(SettingKeys.ClientId);

    /// <summary>Gets the location id, when the location is given by id.</summary>
    public string? LocationId => Get(SettingKeys.LocationId);

    /// <summary>Gets the location's display name, when the location is given by name.</summary>
    public string? LocationName => Get(SettingKeys.LocationName);

    /// <summary>Gets the name guard prefix.</summary>
    public string NamePrefix => Get(SettingKeys.NamePrefix) ?? DefaultNamePrefix;

    /// <summary>
    /// Gets the state directory (queues, locks, journals): <c>state_dir</c>, else the platform's per-user or per-service
    /// state directory (<see cref="StateDirectoryDefault"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">Neither is set and there is no default (no home directory).</exception>
    public string StateDirectory => Get(SettingKeys.StateDir) ?? _defaultStateDirectory
        ?? throw new ConfigurationException($"no state directory: set {SettingKeys.StateDir} (or {SettingKeys.Variable(SettingKeys.StateDir)}), run as a systemd service with StateDirectory=, or give the user a home directory");

    /// <summary>
    /// Gets the grant address policy: which addresses a grant may cover and as which network. Every range the tool
    /// puts into a location passes it, whether it comes from the command line or from a file of the state directory.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "A setting like the others: the one place every command and every file of the state gets the policy from.")]
    public GrantAddressPolicy AddressPolicy => CliAddressPolicy.Value;

    /// <summary>
    /// Gets the connection string of the shared grant database, or null to keep the grants in the local state. It may
    /// carry a password: never print it, nor an error that could quote it.
    /// </summary>
    public string? PostgresConnection => Get(SettingKeys.PostgresConnection);

    /// <summary>Gets the explicit ACL → location id map.</summary>
    public IReadOnlyDictionary<string, string> Acls { get; }

    /// <summary>Gets how the tool signs in, in words for <c>doctor</c> (never the secret); null when nothing is configured.</summary>
    public string? CredentialKind => CliCredential.Describe(Get);

    /// <summary>Loads the settings of this process: <c>--config</c> or <c>KNOCKNOC_ENTRA_CONFIG</c>, the environment, the options.</summary>
    /// <param name="configFile">The <c>--config</c> option, or null.</param>
    /// <param name="options">The settings command options gave (keys as in the file).</param>
    /// <returns>The settings.</returns>
    public static CliSettings Load(string? configFile, IReadOnlyDictionary<string, string?> options) =>
        Load(configFile, Environment.GetEnvironmentVariable, options);

    /// <summary>Loads the settings from the given sources.</summary>
    /// <param name="configFile">The <c>--config</c> option, or null to use <c>KNOCKNOC_ENTRA_CONFIG</c>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="options">The settings command options gave (keys as in the file); null values are not given.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ConfigurationException">A source is malformed.</exception>
    public static CliSettings Load(string? configFile, Func<string, string?> environment, IReadOnlyDictionary<string, string?> options) =>
        Load(configFile, environment, options, UnixUser.IsRoot);

    /// <summary>Loads the settings from the given sources, as the given user.</summary>
    /// <param name="configFile">The <c>--config</c> option, or null to use <c>KNOCKNOC_ENTRA_CONFIG</c>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="options">The settings command options gave (keys as in the file); null values are not given.</param>
    /// <param name="isRoot">Whether the tool runs as root (its default state directory is the system's).</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ConfigurationException">A source is malformed.</exception>
    public static CliSettings Load(string? configFile, Func<string, string?> environment, IReadOnlyDictionary<string, string?> options, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        configFile ??= NonEmpty(environment(SettingKeys.ConfigVariable));
        var fromFile = configFile is null ? new Dictionary<string, string>() : SettingsFile.Load(configFile);

        var fromEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in SettingKeys.FromEnvironment)
        {
            if (NonEmpty(environment(SettingKeys.Variable(key))) is { } value)
            {
                fromEnvironment[key] = value.Trim();
            }
        }

        var fromOptions = options
            .Where(pair => !string.IsNullOrWhiteSpace(pair.Value))
            .ToDictionary(pair => pair.Key, pair => pair.Value!.Trim(), StringComparer.Ordinal);

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, layer) in new[] { ($"the file {configFile}", fromFile), ("the environment", fromEnvironment), ("the options", fromOptions) })
        {
            foreach (var group in Alternatives)
            {
                var given = group.Where(layer.ContainsKey).ToList();
                if (given.Count > 1)
                {
                    throw new ConfigurationException($"{name} gives both {given[0]} and {given[1]}: give one");
                }

                if (given.Count == 1)
                {
                    foreach (var key in group)
                    {
                        merged.Remove(key);
                    }
                }
            }

            foreach (var (key, value) in layer)
            {
                merged[key] = value;
            }
        }

        if (merged.TryGetValue(SettingKeys.StateDir, out var stateDir))
        {
            // Resolved now, so a later change of the current directory cannot move the state.
            merged[SettingKeys.StateDir] = Path.GetFullPath(stateDir);
        }

        return new CliSettings(merged, configFile, StateDirectoryDefault.Choose(environment, isRoot, OperatingSystem.IsWindows()));
    }

    /// <summary>What is missing to sign in (and, when asked, to find the location), each with how to give it.</summary>
    /// <param name="needLocation">Whether a location (id or name) is needed.</param>
    /// <returns>The missing settings; empty when complete.</returns>
    public IReadOnlyList<string> Missing(bool needLocation)
    {
        var missing = new List<string>();
        var managed = CliCredential.IsManagedIdentity(Get);
        if (TenantId is null && !managed)
        {
            missing.Add($"{SettingKeys.TenantId} (or {SettingKeys.Variable(SettingKeys.TenantId)})");
        }

        if (ClientId is null && !managed)
        {
            missing.Add($"{SettingKeys.ClientId} (or {SettingKeys.Variable(SettingKeys.ClientId)})");
        }

        if (CredentialKind is null)
        {
            missing.Add($"{SettingKeys.ClientSecret} or {SettingKeys.ClientSecretFile} (or {SettingKeys.Variable(SettingKeys.ClientSecret)} or {SettingKeys.Variable(SettingKeys.ClientSecretFile)}; never on the command line), or {SettingKeys.CertificateFile}, {SettingKeys.CertificateThumbprint} or {SettingKeys.Credential}={SettingKeys.ManagedIdentity}");
        }

        if (needLocation && LocationId is null && LocationName is null)
        {
            missing.Add($"{SettingKeys.LocationId} or {SettingKeys.LocationName} (or --location-id, --location-name, {SettingKeys.Variable(SettingKeys.LocationId)}, {SettingKeys.Variable(SettingKeys.LocationName)})");
        }

        return missing;
    }

    /// <summary>Throws when a setting is missing.</summary>
    /// <param name="needLocation">Whether a location (id or name) is needed.</param>
    /// <exception cref="ConfigurationException">Something is missing; the message lists all of it.</exception>
    public void Require(bool needLocation)
    {
        var missing = Missing(needLocation);
        if (missing.Count > 0)
        {
            var where = ConfigFile is null ? $"no configuration file (--config or {SettingKeys.ConfigVariable})" : $"configuration file {ConfigFile}";
            throw new ConfigurationException($"missing settings ({where}): {string.Join("; ", missing)}");
        }
    }

    /// <summary>Checks everything about the settings that can be checked without a request: all given, the secret readable, the endpoints valid.</summary>
    /// <param name="needLocation">Whether a location (id or name) is needed.</param>
    /// <exception cref="ConfigurationException">Something is missing or wrong.</exception>
    public void Check(bool needLocation)
    {
        Require(needLocation);
        _ = Credential();
        _ = Cloud();
        _ = TrustedRoots();
        if (LocationId is { } id && !State.StateDirectory.IsSafeName(id))
        {
            throw new ConfigurationException($"{SettingKeys.LocationId} is not a named location id (letters, digits and '-')");
        }
    }

    /// <summary>The credential: a client secret (the value or its file), a certificate, or the managed identity.</summary>
    /// <returns>The credential.</returns>
    /// <exception cref="ConfigurationException">A setting is missing or wrong, or the secret or certificate cannot be read.</exception>
    public EntraCredential Credential()
    {
        Require(needLocation: false);
        return CliCredential.Create(Get, ReadSecret);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>The client secret: the setting, or the secret file's content without surrounding whitespace.</summary>
    /// <returns>The secret; never printed.</returns>
    /// <exception cref="ConfigurationException">The secret file cannot be read or is empty.</exception>
    public string ReadSecret()
    {
        Require(needLocation: false);
        if (Get(SettingKeys.ClientSecret) is { } secret)
        {
            return secret;
        }

        var file = Get(SettingKeys.ClientSecretFile)!;
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"the client secret file {file} cannot be read: {error.Message}", error);
        }

        return text.Length > 0 ? text : throw new ConfigurationException($"the client secret file {file} is empty");
    }
}
