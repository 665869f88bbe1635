using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// <c>knocknoc-entra emulator</c> as a process on loopback: it prints what a client needs, answers real clients
/// that trust only the certificate it printed, and stops cleanly on SIGTERM or Ctrl+C (SIGINT).
/// </summary>
[NonParallelizable] // FreePort() finds a port and lets it go before the tool binds it: an emulator of a test running alongside could take it first.
public partial class EmulatorCommandTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    [Test]
    public async Task With_json_it_prints_its_facts_answers_a_token_request_and_a_Graph_read_and_stops_on_SIGTERM()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        using var guard = new CancellationTokenSource(CliProcess.Guard);
        using var tool = CliProcess.Start(["emulator", "--json", "--port", "0"]);

        var line = await tool.Output.ReadLineAsync(guard.Token);
        Assert.That(line, Is.Not.Null, tool.Errors);
        using var facts = JsonDocument.Parse(line!);
        var root = facts.RootElement;
        var graph = new Uri(root.GetProperty("graphUrl").GetString()!);
        var authority = new Uri(root.GetProperty("authorityHost").GetString()!);
        var certificateFile = root.GetProperty("certificateFile").GetString()!;
        Assert.That(graph.Scheme, Is.EqualTo("https"));
        Assert.That(graph.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(graph.Port, Is.GreaterThan(0));
        Assert.That(root.GetProperty("locationName").GetString(), Is.EqualTo("knocknoc_demo"));
        Assert.That(File.Exists(certificateFile), Is.True, "the certificate to trust is written");

        using var handler = Trusting(certificateFile);

        // A token by hand, as curl would ask for it.
        using (var http = new HttpClient(handler, disposeHandler: false))
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = root.GetProperty("clientId").GetString()!,
                ["client_secret"] = root.GetProperty("clientSecret").GetString()!,
                ["scope"] = root.GetProperty("scope").GetString()!,
            });
            using var answer = await http.PostAsync(new Uri(root.GetProperty("tokenEndpoint").GetString()!), form, guard.Token);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using var token = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(guard.Token));
            Assert.That(token.RootElement.GetProperty("access_token").GetString(), Is.Not.Empty);
        }

        // The SDK's own client (MSAL, pacing, retries) through the printed endpoints.
        using (var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(root.GetProperty("tenantId").GetString()!, root.GetProperty("clientId").GetString()!, root.GetProperty("clientSecret").GetString()!),
            Cloud = EntraCloud.Custom(authority, graph),
            Transport = handler,
        }))
        {
            var location = await client.GetIpAsync(root.GetProperty("locationId").GetString()!, guard.Token);
            Assert.That(location.DisplayName, Is.EqualTo("knocknoc_demo"));
            Assert.That(location.IpRanges.Select(range => range.ToString()), Is.EqualTo(new[] { "192.0.2.0/32" }));
        }

        tool.Signal(SigTerm);
        var exitCode = await tool.WaitForExitAsync(guard.Token);

        Assert.That(exitCode, Is.Zero, tool.Errors);
        Assert.That(tool.Errors, Does.Contain("emulator stopped after"));
        Assert.That(await tool.Output.ReadToEndAsync(guard.Token), Is.Empty, "--json prints one object and nothing else");
        Assert.That(File.Exists(certificateFile), Is.False, "the temporary certificate is removed at stop");
    }

    [Test]
    public async Task As_text_it_listens_on_the_port_given_writes_the_certificate_where_asked_and_stops_on_Ctrl_C()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        using var guard = new CancellationTokenSource(CliProcess.Guard);
        var directory = Directory.CreateTempSubdirectory("knocknoc-cli-tests-");
        try
        {
            var certificateFile = Path.Combine(directory.FullName, "trust", "emulator.pem");
            var port = FreePort();
            using var tool = CliProcess.Start(["emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cert-file", certificateFile]);

            var lines = new List<string>();
            while (await tool.Output.ReadLineAsync(guard.Token) is { } line)
            {
                lines.Add(line);
                if (line.Contains("/v1.0/identity/conditionalAccess/namedLocations/", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var text = string.Join('\n', lines);
            Assert.That(text, Does.Contain($"Entra emulator listening on https://127.0.0.1:{port}/"), tool.Errors);
            Assert.That(text, Does.Contain("client secret").And.Contain("tenant id").And.Contain("client id").And.Contain("knocknoc_demo"));
            Assert.That(text, Does.Contain($"--cacert '{certificateFile}'"), "an example curl line trusting the printed certificate");
            using (var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificateFile, guard.Token)))
            {
                Assert.That(certificate.MatchesHostname("127.0.0.1"), Is.True);
            }

            tool.Signal(SigInt);
            var exitCode = await tool.WaitForExitAsync(guard.Token);

            Assert.That(exitCode, Is.Zero, tool.Errors);
            Assert.That(await tool.Output.ReadToEndAsync(guard.Token), Does.Contain("emulator stopped after"));
            Assert.That(File.Exists(certificateFile), Is.True, "a certificate file the user named is left where it was asked for");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Its_export_lines_point_the_tool_at_it_and_its_control_surface_plays_the_settings_it_was_given()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals and shell exports");
        using var guard = new CancellationTokenSource(CliProcess.Guard);
        var state = Directory.CreateTempSubdirectory("knocknoc-cli-tests-");
        try
        {
            using var tool = CliProcess.Start(["emulator", "--rate-limit", "0", "--retry-after", "whole", "--consistency-window", "2", "--flapping-reads"]);
            var environment = new Dictionary<string, string?> { ["KNOCKNOC_ENTRA_CONFIG"] = null, ["SSL_CERT_DIR"] = null, ["KNOCKNOC_ENTRA_STATE_DIR"] = state.FullName };
            string? control = null;
            while (await tool.Output.ReadLineAsync(guard.Token) is { } line)
            {
                if (ExportLine().Match(line) is { Success: true } export)
                {
                    environment[export.Groups["name"].Value] = export.Groups["value"].Value;
                }
                else if (line.Contains("/_emulator/faults", StringComparison.Ordinal))
                {
                    control = line[(line.LastIndexOf(' ') + 1)..^"faults".Length];
                    break;
                }
            }

            Assert.That(environment.Keys, Is.SupersetOf(new[] { "KNOCKNOC_ENTRA_TENANT_ID", "KNOCKNOC_ENTRA_CLIENT_ID", "KNOCKNOC_ENTRA_CLIENT_SECRET", "KNOCKNOC_ENTRA_GRAPH_URL", "KNOCKNOC_ENTRA_AUTHORITY_HOST", "KNOCKNOC_ENTRA_LOCATION_ID", "KNOCKNOC_ENTRA_CA_FILE", "CURL_CA_BUNDLE" }), tool.Errors);
            Assert.That(control, Is.Not.Null, tool.Errors);

            // The control surface answers with the settings given on the command line, and changes them.
            using var handler = Trusting(environment["KNOCKNOC_ENTRA_CA_FILE"]!);
            using var http = new HttpClient(handler);
            using var settings = JsonDocument.Parse(await http.GetStringAsync(new Uri(control + "settings"), guard.Token));
            var given = settings.RootElement;
            Assert.That(
                (given.GetProperty("rateLimitSeconds").GetDouble(), given.GetProperty("retryAfter").GetString(), given.GetProperty("consistencyWindowSeconds").GetDouble(), given.GetProperty("consistencyReadsFlap").GetBoolean()),
                Is.EqualTo((0.0, "WholeSeconds", 2.0, true)));

            // Reads lag the location created at start for the window, as Graph's do a new location: the window goes.
            using (var settled = new HttpRequestMessage(HttpMethod.Patch, control + "settings") { Content = new StringContent("""{"consistencyWindowSeconds":0}""", System.Text.Encoding.UTF8, "application/json") })
            using (var answer = await http.SendAsync(settled, guard.Token))
            {
                Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            // The tool itself, configured by the pasted lines only: ca_file is its only trust (no SSL_CERT_FILE).
            environment["SSL_CERT_FILE"] = null;
            environment["SSL_CERT_DIR"] = null;
            var (exitCode, output, errors) = await CliProcess.RunAsync(["show"], environment);
            Assert.That(exitCode, Is.Zero, output + errors);
            Assert.That(output, Does.Contain("knocknoc_demo").And.Contain("192.0.2.0/32"));
            var application = $"{control}tenants/{environment["KNOCKNOC_ENTRA_TENANT_ID"]}/applications/{environment["KNOCKNOC_ENTRA_CLIENT_ID"]}";
            using var revoke = new HttpRequestMessage(HttpMethod.Patch, application) { Content = new StringContent("""{"permissions":[]}""", System.Text.Encoding.UTF8, "application/json") };
            using (var revoked = await http.SendAsync(revoke, guard.Token))
            {
                Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            var refused = await CliProcess.RunAsync(["show"], environment);
            Assert.That(refused.ExitCode, Is.Not.Zero);
            Assert.That(refused.Errors, Does.Contain("ENTRA002"), "consent withdrawn from outside: the tool is refused");

            tool.Signal(SigTerm);
            Assert.That(await tool.WaitForExitAsync(guard.Token), Is.Zero, tool.Errors);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Test]
    public async Task A_port_out_of_range_is_a_usage_error()
    {
        var (exitCode, _, errors) = await CliProcess.RunAsync(["emulator", "--port", "70000"]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(errors, Does.StartWith("knocknoc-entra: --port: '70000' is not a whole number from 0 to 65535"));
    }

    /// <summary>Trusts the printed certificate as the only root, with full validation, as a careful client would.</summary>
    private static SocketsHttpHandler Trusting(string certificateFile)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)));
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*export (?<name>[A-Z_]+)='(?<value>[^']*)'$")]
    private static partial System.Text.RegularExpressions.Regex ExportLine();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
