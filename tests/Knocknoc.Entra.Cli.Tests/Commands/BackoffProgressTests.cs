using System.Diagnostics;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>The waiting line while Graph throttles: on a terminal only, never in redirected output.</summary>
public class BackoffProgressTests
{
    private const string WaitingLine = "waiting on Microsoft Graph";

    [Test]
    public async Task Redirected_output_is_unchanged_while_backing_off()
    {
        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_wait", ["198.51.100.1/32"]);

        // 503 with Retry-After: 1, twice: the client waits a second each time.
        tenant.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 2);
        var (exitCode, output, errors) = await CliProcess.RunAsync(tenant.Arguments("show"), tenant.Environment(location.Id));

        Assert.That(exitCode, Is.Zero, errors);
        Assert.That(output, Does.Contain("198.51.100.1/32"));
        Assert.That(output + errors, Does.Not.Contain(WaitingLine));
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public async Task A_terminal_sees_one_waiting_line_while_waiting_a_second_or_more()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Ignore("util-linux script (a pseudo-terminal for the tool) is not installed.");
        }

        await using var tenant = await LoopbackTenant.StartAsync();
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_wait", ["198.51.100.1/32"]);
        tenant.Emulator.FailNext(EmulatedFault.ServiceUnavailable, 2);

        // script(1) gives the tool a pseudo-terminal for its standard streams, and copies what it shows to its own output.
        var command = string.Join(' ', new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", CliProcess.ToolPath() }
            .Concat(tenant.Arguments("show")).Select(argument => $"'{argument}'"));
        var start = new ProcessStartInfo("/usr/bin/script", ["-qec", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in tenant.Environment(location.Id))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        using var guard = new CancellationTokenSource(CliProcess.Guard);
        var shown = await process.StandardOutput.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);

        Assert.That(process.ExitCode, Is.Zero, shown);
        Assert.That(shown, Does.Contain($"{WaitingLine} (HTTP 503): retrying in").And.Contain("198.51.100.1/32"));
    }
}
