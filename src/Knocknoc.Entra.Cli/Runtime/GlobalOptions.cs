using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>The options every command takes (recursive on the root): how much of the SDK's logs to show on standard error.</summary>
internal static class GlobalOptions
{
    private static readonly string[] Levels = ["trace", "debug", "information", "warning", "error", "none"];

    /// <summary>Gets <c>--log-level LEVEL</c>: the SDK's logs from that level on standard error; none by default.</summary>
    public static Option<string> LogLevel { get; } = Create();

    /// <summary>Gets <c>--verbose</c> (<c>-v</c>): the same as <c>--log-level debug</c>.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show the SDK's logs from debug level on standard error (the same as --log-level debug).",
        Recursive = true,
    };

    /// <summary>The level the command line asks for.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The lowest level shown; <see cref="Microsoft.Extensions.Logging.LogLevel.None"/> for none.</returns>
    public static LogLevel LevelOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var level = Enum.Parse<LogLevel>(parseResult.GetValue(LogLevel) ?? "none", ignoreCase: true);
        return parseResult.GetValue(Verbose) && level > Microsoft.Extensions.Logging.LogLevel.Debug ? Microsoft.Extensions.Logging.LogLevel.Debug : level;
    }

    private static Option<string> Create()
    {
        var option = OptionValues.Choice("--log-level", "none", Levels);
        option.Description = "Show the SDK's logs from this level on standard error, one line each (requests, retries, throttling, sign-in); none by default.";
        option.HelpName = "LEVEL";
        option.Recursive = true;
        return option;
    }
}
