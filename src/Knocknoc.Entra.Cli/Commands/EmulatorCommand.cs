using System.CommandLine;
using Knocknoc.Entra.Cli.Emulator;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>knocknoc-entra emulator</c>: serves the Entra emulator on loopback HTTPS until Ctrl+C or SIGTERM, with a
/// ready tenant, app and location, so any Graph client (the Microsoft Graph SDK, PowerShell, curl, this tool) can
/// be tried without a tenant.
/// </summary>
internal static class EmulatorCommand
{
    /// <summary>Creates the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var port = new Option<int>("--port")
        {
            Description = "The port on 127.0.0.1 to listen on; 0 (the default) picks a free one.",
            DefaultValueFactory = _ => 0,
        };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
        var certificateFile = new Option<string?>("--cert-file")
        {
            Description = "Where to write the server's certificate (PEM), the root a client must trust; by default a new temporary directory, removed at stop.",
            HelpName = "PATH",
        };
        var json = CommonOptions.Json();

        var command = new Command("emulator", "Serves the Entra emulator (token endpoint, Graph named locations and policies, Graph's 1 request/s limit) on 127.0.0.1 over HTTPS until Ctrl+C, with a ready test app and the location 'knocknoc_demo'.")
        {
            port,
            certificateFile,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(port),
            parseResult.GetValue(certificateFile),
            parseResult.GetValue(json),
            cancellationToken));
        return command;
    }

    /// <summary>Serves until cancelled.</summary>
    /// <param name="port">The port, or 0.</param>
    /// <param name="certificateFile">Where to write the certificate, or null.</param>
    /// <param name="json">Whether to print the facts as JSON.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C or SIGTERM: the server then stops.</param>
    /// <returns>The exit code: 0 after a clean stop.</returns>
    public static async Task<int> RunAsync(int port, string? certificateFile, bool json, CancellationToken cancellationToken)
    {
        EmulatorHost started;
        try
        {
            started = await EmulatorHost.StartAsync(port, certificateFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A port in use, or a certificate path that cannot be written: say which, without a stack trace.
            CliConsole.ForStandardError().Failure($"knocknoc-entra: the emulator could not start: {error.Message}");
            return ExitCodes.Failure;
        }

        await using var host = started;
        var facts = host.Facts;
        var console = CliConsole.ForStandardOutput();
        if (json)
        {
            CliJson.Write(Console.Out, facts, CliJsonContext.Default.EmulatorFacts);
        }
        else
        {
            Describe(console, facts);
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to end; the server stops as the host is disposed.
        }

        var served = host.Emulator.Journal.Count;
        await host.DisposeAsync().ConfigureAwait(false);
        var stopped = $"emulator stopped after {served} requests.";
        if (json)
        {
            CliConsole.ForStandardError().Note(stopped);
        }
        else
        {
            console.Note(stopped);
        }

        return ExitCodes.Success;
    }

    private static void Describe(CliConsole console, EmulatorFacts facts)
    {
        console.Success($"Entra emulator listening on {facts.GraphUrl} (Ctrl+C to stop)");
        console.Facts(
        [
            ("graph url", $"{facts.GraphUrl}  (v1.0 API under it)"),
            ("authority host", facts.AuthorityHost.ToString()),
            ("token endpoint", facts.TokenEndpoint.ToString()),
            ("scope", facts.Scope),
            ("tenant id", facts.TenantId),
            ("client id", facts.ClientId),
            ("client secret", $"{facts.ClientSecret}  (this emulator's throwaway)"),
            ("location", $"{facts.LocationId}  ({facts.LocationName})"),
            ("trust", $"{facts.CertificateFile}  (the server's certificate, PEM)"),
            ("rate limit", facts.RateLimitInterval > 0 ? "1 request/s per tenant, as Graph" : "off"),
        ]);
        console.Line();
        console.Line("Try it:");
        console.Line($"  TOKEN=$(curl -s --cacert '{facts.CertificateFile}' -d grant_type=client_credentials -d client_id={facts.ClientId} --data-urlencode 'client_secret={facts.ClientSecret}' -d scope={facts.Scope} {facts.TokenEndpoint} | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        console.Line($"  curl -s --cacert '{facts.CertificateFile}' -H \"Authorization: Bearer $TOKEN\" {facts.GraphUrl}v1.0/identity/conditionalAccess/namedLocations/{facts.LocationId}");
    }
}
