using System.CommandLine;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Configuration;

/// <summary>
/// The options every command that talks to Entra takes: the configuration file and the endpoints and location.
/// Never a secret: the command line is visible to every local user.
/// </summary>
internal sealed class ConnectionOptions
{
    private readonly Option<string?> _config = new("--config") { Description = $"The configuration file (key=value lines); default {SettingKeys.ConfigVariable}.", HelpName = "PATH" };
    private readonly Option<string?> _graphUrl = new("--graph-url") { Description = "The Graph root, e.g. an emulator's (default: the global cloud).", HelpName = "URL" };
    private readonly Option<string?> _authorityHost = new("--authority-host") { Description = "The sign-in host, HTTPS (default: the global cloud).", HelpName = "URL" };
    private readonly Option<string?> _locationId = new("--location-id") { Description = "The named location's id.", HelpName = "ID" };
    private readonly Option<string?> _locationName = new("--location-name") { Description = "The named location's display name (it must start with name_prefix).", HelpName = "NAME" };
    private readonly bool _withLocation;

    /// <summary>Initializes a new instance of the <see cref="ConnectionOptions"/> class.</summary>
    /// <param name="withLocation">Whether the command works on one location (and so takes --location-id and --location-name).</param>
    public ConnectionOptions(bool withLocation) => _withLocation = withLocation;

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_config);
        command.Options.Add(_graphUrl);
        command.Options.Add(_authorityHost);
        if (_withLocation)
        {
            command.Options.Add(_locationId);
            command.Options.Add(_locationName);
        }
    }

    /// <summary>Loads the settings: the file, the environment, then these options.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The settings.</returns>
    public CliSettings Load(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var options = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingKeys.GraphUrl] = parseResult.GetValue(_graphUrl),
            [SettingKeys.AuthorityHost] = parseResult.GetValue(_authorityHost),
        };
        if (_withLocation)
        {
            options[SettingKeys.LocationId] = parseResult.GetValue(_locationId);
            options[SettingKeys.LocationName] = parseResult.GetValue(_locationName);
        }

        return CliSettings.Load(parseResult.GetValue(_config), options);
    }

    /// <summary>Builds the SDK's client from complete settings: MSAL sign-in, pacing, retries; the machine's trust or <c>ca_file</c>'s.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The client; dispose it.</returns>
    public static NamedLocationClient CreateClient(CliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = settings.Credential(),
            Cloud = settings.Cloud(),
            TrustedRootCertificates = settings.TrustedRoots(),

            // A waiting line on a terminal while a retry backs off or the tenant's pacing holds a request back, from the
            // SDK's typed events (not its log text); nothing when redirected.
            Events = WaitingLine.StandardError,

            // The SDK's own logs on stderr, when --log-level or --verbose asks for them.
            LoggerFactory = SdkLog.With(null),
        });
    }
}
