using System.CommandLine;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Sdk.Errors;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// Runs the parsed command with what every command shares: cancellation on Ctrl+C or SIGTERM, and one way to
/// report a failure (an ENTRA error prints its code and message and exits 1; a configuration error exits 2;
/// anything else prints its details).
/// </summary>
internal static class CommandRunner
{
    /// <summary>Parses <paramref name="args"/> and runs the command chosen.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(Command root, string[] args)
    {
        using var shutdown = new ShutdownSignal();
        var configuration = new InvocationConfiguration
        {
            // Signals are ShutdownSignal's, failures are reported below: one behaviour for every command.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await root.Parse(args).InvokeAsync(configuration, shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
        {
            CliConsole.ForStandardError().Warning($"knocknoc-entra: stopped ({shutdown.Received}).");
            return ExitCodes.Cancelled;
        }
        catch (ConfigurationException error)
        {
            CliConsole.ForStandardError().Failure($"knocknoc-entra: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (EntraException error)
        {
            CliConsole.ForStandardError().Failure($"knocknoc-entra: {error.Message}");
            return ExitCodes.Failure;
        }
        catch (ChangeFailedException error)
        {
            // A queued change that was not applied: the drain's ENTRA message, as if this process had failed itself.
            CliConsole.ForStandardError().Failure($"knocknoc-entra: {error.Message}");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The tool's last line of defence: whatever failed is reported, never a bare crash.
        catch (Exception error)
#pragma warning restore CA1031
        {
            CliConsole.ForStandardError().Failure($"knocknoc-entra: unexpected error: {error}");
            return ExitCodes.Failure;
        }
    }
}
