using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// docs/cli.md: every command and bad input tried here, with its exit code and first line of output, run as processes
/// against the loopback emulator. The page is this test's output, so it cannot drift from what the tool does.
/// </summary>
[UnsupportedOSPlatform("windows")]
public partial class CliFigureTests
{
    private const string Document = "docs/cli.md";

    [Test]
    public async Task Docs_cli_md_shows_what_each_command_and_bad_input_does()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var figure = tenant.Tenant.AddIpNamedLocation("knocknoc_figure", ["192.0.2.0/32"]);
        var office = tenant.Tenant.AddIpNamedLocation("Head office", ["198.51.100.1/32"]);
        tenant.Tenant.AddCountryNamedLocation("Countries", "NZ");
        var unsafeState = Directory.CreateDirectory(Path.Combine(tenant.Directory, "unsafe-state"));
        File.SetUnixFileMode(unsafeState.FullName, (UnixFileMode)0b111_111_111);
        var settings = tenant.Environment(figure.Id);
        var nothing = new Dictionary<string, string?>
        {
            ["KNOCKNOC_ENTRA_CONFIG"] = null, ["KNOCKNOC_ENTRA_TENANT_ID"] = null, ["KNOCKNOC_ENTRA_CLIENT_ID"] = null, ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = null,
            ["KNOCKNOC_ENTRA_CLIENT_SECRET_FILE"] = null, ["KNOCKNOC_ENTRA_LOCATION_ID"] = null, ["KNOCKNOC_ENTRA_LOCATION_NAME"] = null,
        };
        Dictionary<string, string?> With(string name, string? value) => new(settings) { [name] = value };

        FigureCase Bare(string[] arguments, int exit, string? setting = null) => new(arguments, arguments, setting, nothing, exit);
        FigureCase ToEmulator(string[] arguments, int exit, string setting, IReadOnlyDictionary<string, string?> environment) =>
            new(arguments, tenant.Arguments(arguments), setting, environment, exit);

        FigureCase[] cases =
        [
            Bare(["--help"], ExitCodes.Success),
            Bare([], ExitCodes.Usage),
            Bare(["no-such-command"], ExitCodes.Usage),
            Bare(["show", "--bogus"], ExitCodes.Usage),
            Bare(["grant"], ExitCodes.Usage),
            Bare(["emulator", "--port", "abc"], ExitCodes.Usage),
            Bare(["emulator", "--rate-limit", "1,5"], ExitCodes.Usage),
            Bare(["emulator", "--failure-rate", "2"], ExitCodes.Usage),
            Bare(["emulator", "--retry-after", "sometimes"], ExitCodes.Usage),
            Bare(["show", "--log-level", "loud"], ExitCodes.Usage),
            Bare(["script", "add", ".hidden", "203.0.113.7"], ExitCodes.Usage),
            Bare(["grant", "203.0.113.7", "--for", "soon"], ExitCodes.Usage),
            Bare(["grant", "203.0.113.7", "--expires", "2026-12-06T18:00"], ExitCodes.Usage),
            Bare(["grant", "203.0.113.7", "--expires", "2020-01-01T00:00Z"], ExitCodes.Usage),
            Bare(["grant", "203.0.113.7", "--for", "8h", "--expires", "2099-01-01T00:00Z"], ExitCodes.Usage),
            Bare(["demo", "--postgres", "Host=127.0.0.1;Port=1;Username=demo;Timeout=5"], ExitCodes.State, "no server there"),
            Bare(["show"], ExitCodes.Configuration, "no settings"),
            Bare(["show", "--config", Path.Combine(tenant.Directory, "missing.conf")], ExitCodes.Configuration, "no such file"),
            ToEmulator(["show"], ExitCodes.Configuration, "tenant_id not a tenant", With("KNOCKNOC_ENTRA_TENANT_ID", "not a tenant")),
            ToEmulator(["show"], ExitCodes.Success, "the emulator's app", settings),
            ToEmulator(["locations", "--json"], ExitCodes.Success, "the emulator's app", settings),
            ToEmulator(["grant", "198.51.100.7"], ExitCodes.Success, "the emulator's app", settings),
            ToEmulator(["grant", "198.51.100.8", "--for", "8h"], ExitCodes.Success, "the emulator's app", settings),
            ToEmulator(["expire"], ExitCodes.Success, "the emulator's app", settings),
            ToEmulator(["doctor"], ExitCodes.Failure, "a wrong secret", With("KNOCKNOC_ENTRA_CLIENT_SECRET", "not-the-secret")),
            ToEmulator(["show"], ExitCodes.EntraAccess, "a wrong secret", With("KNOCKNOC_ENTRA_CLIENT_SECRET", "not-the-secret")),
            ToEmulator(["show"], ExitCodes.EntraLocation, "a location id that does not exist", tenant.Environment("00000000-0000-0000-0000-000000000000")),
            ToEmulator(["flush"], ExitCodes.EntraLocation, "the location 'Head office'", tenant.Environment(office.Id)),
            ToEmulator(["grant", "10.1.2.3"], ExitCodes.Refused, "the emulator's app", settings),
            ToEmulator(["script", "add", "demo", "203.0.113.9"], ExitCodes.State, "a state directory others can write", With("KNOCKNOC_ENTRA_STATE_DIR", unsafeState.FullName)),
            ToEmulator(["grant", "198.51.100.9"], ExitCodes.Configuration, "postgres_connection not a connection string", With("KNOCKNOC_ENTRA_POSTGRES_CONNECTION", "Password=secret;no-equals-sign")),
            ToEmulator(["grant", "198.51.100.9"], ExitCodes.State, "postgres_connection, no server there", With("KNOCKNOC_ENTRA_POSTGRES_CONNECTION", "Host=127.0.0.1;Port=1;Username=agent;Password=secret;Timeout=5")),
        ];

        var placeholders = new (string Text, string Shown)[]
        {
            (tenant.Server.BaseAddress.ToString(), "https://127.0.0.1:PORT/"),
            (tenant.Tenant.TenantId, "TENANT-ID"),
            (tenant.Application.ClientId, "CLIENT-ID"),
            (figure.Id, "LOCATION-ID"),
            (office.Id, "OFFICE-ID"),
            (tenant.Directory, "TMP"),
        };
        string Shown(string text)
        {
            foreach (var (value, shown) in placeholders)
            {
                text = text.Replace(value, shown, StringComparison.Ordinal);
            }

            return Guid().Replace(Time().Replace(text, "TIME"), "GUID").Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        }

        // Several at a time: each is a process that mostly waits (on Graph's pacing); none changes what another's first line shows.
        using var slots = new SemaphoreSlim(8);
        var results = await Task.WhenAll(cases.Select(async run =>
        {
            await slots.WaitAsync();
            try
            {
                return (run, await CliProcess.RunAsync(run.Run, run.Environment));
            }
            finally
            {
                slots.Release();
            }
        }));
        var rows = new List<string>();
        foreach (var (run, (exitCode, output, errors)) in results)
        {
            var command = string.Join(' ', run.Typed);
            Assert.That(exitCode, Is.EqualTo(run.Expected), $"{command} ({run.Setting}): {output}{errors}");
            var first = FirstLine(output) is { } line ? line : FirstLine(errors) is { } error ? $"{error} (stderr)" : "(nothing)";
            rows.Add($"| `{Shown(("knocknoc-entra " + command).TrimEnd())}` | {run.Setting ?? string.Empty} | {exitCode} | `{Shown(first)}` |");
        }

        var page = Render(rows);
        var path = Path.Combine(Repository.Root(), Document);
        var received = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli.received.md");
        await File.WriteAllTextAsync(received, page);
        Assert.That(File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty, Is.EqualTo(page), $"{Document} differs from what the tool does; if the change is meant, copy {received} over it.");
    }

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).FirstOrDefault(line => line.Trim().Length > 0)?.Trim();

    private static string Render(IEnumerable<string> rows)
    {
        var page = new StringBuilder();
        page.AppendLine("# The command-line tool: every command and bad input the tests try");
        page.AppendLine();
        page.AppendLine("Each line below is run by `CliFigureTests` (tests/Knocknoc.Entra.Cli.Tests/Commands/) as a process against the");
        page.AppendLine("loopback emulator (settings in environment variables, endpoints as `--graph-url` and `--authority-host`), and the");
        page.AppendLine("test fails when this page differs from what the tool does, so it cannot drift. The first line is standard");
        page.AppendLine("output's, else standard error's (marked). Shown as placeholders: the emulator's address (`https://127.0.0.1:PORT/`),");
        page.AppendLine("tenant, client and location ids, temporary paths (`TMP`), times and other GUIDs. The exit codes are the README's");
        page.AppendLine("table; the two no run here shows are covered by `ExitCodeTests`: 70 (internal error) and 130 (interrupted).");
        page.AppendLine();
        page.AppendLine("| command | settings | exit | first line of output |");
        page.AppendLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            page.AppendLine(row);
        }

        return page.ToString();
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")]
    private static partial Regex Time();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    /// <summary>One run: the command line as a user types it, as it is run (with the emulator's endpoints), its settings and the exit it must give.</summary>
    private sealed record FigureCase(string[] Typed, string[] Run, string? Setting, IReadOnlyDictionary<string, string?> Environment, int Expected);
}
