using System.CommandLine;
using Knocknoc.Entra.Cli.Emulator;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Sdk.Testing;

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
        var port = OptionValues.Whole("--port", 0, 65535, 0);
        port.Description = "The port on 127.0.0.1 to listen on; 0 (the default) picks a free one.";
        var certificateFile = new Option<string?>("--cert-file")
        {
            Description = "Where to write the server's certificate (PEM), the root a client must trust; by default a new temporary directory, removed at stop.",
            HelpName = "PATH",
        };
        var json = CommonOptions.Json();
        var rateLimit = Seconds("--rate-limit", "The shortest time between two accepted Graph requests of the tenant, as Graph's 1 request/s; 0 turns the limit off.", 1, 3600);
        var retryAfter = OptionValues.Choice("--retry-after", "absent", "absent", "whole", "fractional");
        retryAfter.Description = "How a rate-limit 429 carries Retry-After: absent (the default, as current docs describe), whole or fractional seconds.";
        var consistencyWindow = Seconds("--consistency-window", "How long reads may still return the version before a write (eventual consistency); 0 (the default) turns it off.", 0, 86400);
        var flappingReads = new Option<bool>("--flapping-reads") { Description = "Inside the consistency window, each read returns the old or the new version at random, as Graph's replicas may." };
        var failureRate = OptionValues.Number("--failure-rate", 0, 1, 0);
        failureRate.Description = "The share (0 to 1) of Graph requests answered with a transient 503.";
        failureRate.HelpName = "RATE";

        var command = new Command("emulator", "Serves the Entra emulator (token endpoint, Graph named locations and policies, Graph's 1 request/s limit) on 127.0.0.1 over HTTPS until Ctrl+C, with a ready test app and the location 'knocknoc_demo', and a loopback-only control surface to play a bad day.")
        {
            port,
            certificateFile,
            rateLimit,
            retryAfter,
            consistencyWindow,
            flappingReads,
            failureRate,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(port),
            parseResult.GetValue(certificateFile),
            new EmulatorSettings(
                parseResult.GetValue(rateLimit),
                parseResult.GetValue(retryAfter) switch
                {
                    "whole" => EmulatedRetryAfter.WholeSeconds,
                    "fractional" => EmulatedRetryAfter.FractionalSeconds,
                    _ => EmulatedRetryAfter.Absent,
                },
                parseResult.GetValue(consistencyWindow),
                parseResult.GetValue(flappingReads),
                parseResult.GetValue(failureRate)),
            parseResult.GetValue(json),
            cancellationToken));
        return command;
    }

    /// <summary>Serves until cancelled.</summary>
    /// <param name="port">The port, or 0.</param>
    /// <param name="certificateFile">Where to write the certificate, or null.</param>
    /// <param name="settings">The bad-day settings to start with.</param>
    /// <param name="json">Whether to print the facts as JSON.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C or SIGTERM: the server then stops.</param>
    /// <returns>The exit code: 0 after a clean stop.</returns>
    public static async Task<int> RunAsync(int port, string? certificateFile, EmulatorSettings settings, bool json, CancellationToken cancellationToken)
    {
        EmulatorHost started;
        try
        {
            started = await EmulatorHost.StartAsync(port, certificateFile, settings, cancellationToken).ConfigureAwait(false);
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
            ("rate limit", facts.RateLimitInterval > 0 ? $"1 request per {facts.RateLimitInterval:0.###} s per tenant (Graph: 1 s)" : "off"),
            ("control", $"{facts.ControlUrl}  (loopback only: faults, apps, locations, policies, settings, tokens/expire, journal, reset)"),
        ]);
        console.Line();
        console.Line("Point knocknoc-entra and curl at it (paste into a shell; KNOCKNOC_ENTRA_CA_FILE and CURL_CA_BUNDLE trust this emulator only, for this tool and curl):");
        foreach (var line in facts.ExportLines())
        {
            console.Line($"  {line}");
        }

        console.Line();
        console.Line("Try it:");
        console.Line($"  TOKEN=$(curl -s --cacert '{facts.CertificateFile}' -d grant_type=client_credentials -d client_id={facts.ClientId} --data-urlencode 'client_secret={facts.ClientSecret}' -d scope={facts.Scope} {facts.TokenEndpoint} | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')");
        console.Line($"  curl -s --cacert '{facts.CertificateFile}' -H \"Authorization: Bearer $TOKEN\" {facts.GraphUrl}v1.0/identity/conditionalAccess/namedLocations/{facts.LocationId}");
        console.Line($"  curl -s --cacert '{facts.CertificateFile}' -X POST -H 'Content-Type: application/json' -d '{{\"fault\":\"serviceUnavailable\",\"count\":2}}' {facts.ControlUrl}faults");
    }

    private static Option<double> Seconds(string name, string description, double defaultValue, double max)
    {
        var option = OptionValues.Number(name, 0, max, defaultValue, "seconds");
        option.Description = description;
        option.HelpName = "SECONDS";
        return option;
    }
}
