using System.CommandLine;
using System.CommandLine.Parsing;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// Runs the parsed command with what every command shares: one line for a command line it cannot run, cancellation on
/// Ctrl+C or SIGTERM, and one way to report a failure, each with its exit code from <see cref="ExitCodes"/>.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Parses <paramref name="args"/> and runs the command chosen.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(Command root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpWithSettings)
        {
            // One line naming the option, not the help page: the page hides the line that says what was wrong.
            // An unknown word is the problem; that no command was then found says nothing more.
            var messages = parsed.Errors.Select(error => error.Message.ReplaceLineEndings(" ").TrimEnd('.')).ToList();
            if (messages.Count > 1)
            {
                messages.RemoveAll(message => message.StartsWith("Required command was not provided", StringComparison.Ordinal));
            }

            var problems = string.Join("; ", messages);
            Fail($"{problems} (see '{CommandPath(parsed.CommandResult)} --help')");
            return ExitCodes.Usage;
        }

        SdkLog.Level = GlobalOptions.LevelOf(parsed);
        using var shutdown = new ShutdownSignal();
        var configuration = new InvocationConfiguration
        {
            // Signals are ShutdownSignal's, failures are reported below: one behaviour for every command.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parsed.InvokeAsync(configuration, shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
        {
            CliConsole.ForStandardError().Warning($"knocknoc-entra: stopped ({shutdown.Received}).");
            return ExitCodes.Cancelled;
        }
        catch (UsageException error)
        {
            Fail($"{error.Message} (see '{CommandPath(parsed.CommandResult)} --help')");
            return ExitCodes.Usage;
        }
        catch (ConfigurationException error)
        {
            Fail(error.Message);
            return ExitCodes.Configuration;
        }
        catch (EntraException error)
        {
            Fail(error.Message);
            return ExitCodes.For(error.Code);
        }
        catch (ChangeFailedException error)
        {
            // A queued change that was not applied: the drain's ENTRA message, as if this process had failed itself.
            Fail(error.Message);
            return ExitCodes.For(error.Code);
        }
#pragma warning disable CA1031 // The tool's last line of defence: whatever failed is reported, never a bare crash.
        catch (Exception error)
#pragma warning restore CA1031
        {
            // A bug: its type and message on one line; the stack trace for whoever asks for debug logs.
            Fail($"internal error (please report it): {error.GetType().FullName}: {error.Message}");
            if (SdkLog.Level <= Microsoft.Extensions.Logging.LogLevel.Debug)
            {
                CliConsole.ForStandardError().Note(error.ToString());
            }

            return ExitCodes.Internal;
        }
    }

    private static void Fail(string message) => CliConsole.ForStandardError().Failure($"knocknoc-entra: {message}");

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var named })
            {
                names.Insert(0, named.Name);
            }
        }

        return string.Join(' ', names);
    }
}
