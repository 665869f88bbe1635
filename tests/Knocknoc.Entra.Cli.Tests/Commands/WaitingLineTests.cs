using System.Diagnostics;
using System.Net;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// The waiting line for every wait of a second or more (a retry's backoff, the tenant's pacing, a lock or another
/// drain): on a terminal only, never in redirected output, and fed by the SDK's typed events, not its log text.
/// </summary>
public class WaitingLineTests
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

    [Test]
    public async Task A_retry_backoff_counts_down_from_the_SDK_event_and_the_line_is_cleared_after()
    {
        var (line, shown) = NewLine();

        line.OnGraphRetrying(new GraphRetryEvent { RetryNumber = 1, StatusCode = HttpStatusCode.TooManyRequests, Delay = TimeSpan.FromSeconds(3) });
        await line.Shown;

        Assert.That(shown.ToString(), Does.Contain("waiting on Microsoft Graph (HTTP 429): retrying in 3 s").And.Contain("retrying in 1 s").And.EndWith("\r\u001b[K"));
    }

    [Test]
    public async Task A_pacing_wait_of_a_second_or_more_is_shown_and_a_shorter_wait_is_not()
    {
        var (line, shown) = NewLine();

        line.OnPacingWait(new PacingWaitEvent { Delay = TimeSpan.FromMilliseconds(999) });
        line.OnGraphRetrying(new GraphRetryEvent { RetryNumber = 1, Delay = TimeSpan.FromMilliseconds(400) });
        await line.Shown;
        Assert.That(shown.ToString(), Is.Empty);

        line.OnPacingWait(new PacingWaitEvent { Delay = TimeSpan.FromSeconds(2) });
        await line.Shown;
        Assert.That(shown.ToString(), Does.Contain("waiting for the tenant's request pacing: sending in 2 s"));
    }

    [Test]
    public async Task A_wait_of_unknown_length_counts_up_after_its_first_second_until_it_ends()
    {
        var (line, shown) = NewLine();

        var waiting = line.Elapsed("waiting for the location's lock");
        while (!shown.ToString().Contains("waiting for the location's lock: 2 s", StringComparison.Ordinal))
        {
            await Task.Yield();
        }

        waiting.Dispose();
        await line.Shown;

        Assert.That(shown.ToString(), Does.Not.Contain("lock: 0 s").And.Contain("lock: 1 s").And.EndWith("\r\u001b[K"));
    }

    private static (WaitingLine Line, ShownText Shown) NewLine()
    {
        // Emulated time: each second of a countdown passes at once, and the test asserts what is shown, never when.
        var shown = new ShownText();
        return (new WaitingLine(shown, new AutoAdvancingTimeProvider()), shown);
    }

    /// <summary>What a terminal was sent, read while the line is still being written.</summary>
    private sealed class ShownText : TextWriter
    {
        private readonly System.Text.StringBuilder _text = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
