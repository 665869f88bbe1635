using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Knocknoc.Entra.Cli.Configuration;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// <c>--help</c>: System.CommandLine's page, then, for the root and every command that reads the configuration, the
/// environment variables it reads, where the secret comes from and the exit codes, which options alone never say.
/// </summary>
internal sealed class HelpWithSettings : SynchronousCommandLineAction
{
    private readonly HelpAction _page = new();

    /// <summary>Creates the help option every command answers.</summary>
    /// <returns>The option.</returns>
    public static HelpOption Option() => new() { Action = new HelpWithSettings() };

    /// <summary>The text after the options: settings, the secret, exit codes.</summary>
    /// <returns>The lines.</returns>
    public static IReadOnlyList<string> Settings()
    {
        var lines = new List<string>
        {
            "Settings (the configuration file, then environment variables, then options; each overrides the one before):",
        };
        var variables = new List<(string Name, string What)> { (SettingKeys.ConfigVariable, "the configuration file (key=value lines), unless --config names one") };
        variables.AddRange(SettingKeys.FromEnvironment.Select(key => (SettingKeys.Variable(key), $"{key}: {SettingKeys.Describe(key)}")));
        variables.Add(("SSL_CERT_FILE, SSL_CERT_DIR", "the roots a custom graph_url or authority_host is trusted by (Linux)"));
        variables.Add(("NO_COLOR", "no colour, even on a terminal"));
        var width = variables.Max(variable => variable.Name.Length);
        lines.AddRange(variables.Select(variable => $"  {variable.Name.PadRight(width)}  {variable.What}"));
        lines.Add(string.Empty);
        lines.Add("The secret is never an option (a command line is visible to every local user): it is client_secret in the");
        lines.Add($"configuration file or {SettingKeys.Variable(SettingKeys.ClientSecret)}, or the file client_secret_file or {SettingKeys.Variable(SettingKeys.ClientSecretFile)} names;");
        lines.Add($"or sign in without one: a certificate ({SettingKeys.CertificateFile}) or a managed identity ({SettingKeys.Credential}={SettingKeys.ManagedIdentity}).");
        lines.Add(string.Empty);
        lines.Add($"Exit codes: {ExitCodes.Success} done, {ExitCodes.Failure} a check failed, {ExitCodes.Usage} usage, {ExitCodes.Configuration} configuration, {ExitCodes.EntraAccess} Entra access (ENTRA000-049),");
        lines.Add($"{ExitCodes.EntraLocation} the location (ENTRA050-061), {ExitCodes.Refused} refused (ENTRA058/059), {ExitCodes.State} local state (ENTRA062-066), {ExitCodes.Internal} internal error, {ExitCodes.Cancelled} interrupted.");
        return lines;
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var code = _page.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        if (command.Parents.Any() && !command.Options.Any(option => option.Name == "--config"))
        {
            // demo and emulator read no configuration: their page is their options.
            return code;
        }

        foreach (var line in Settings())
        {
            Console.Out.WriteLine(line);
        }

        Console.Out.WriteLine();
        return code;
    }
}
