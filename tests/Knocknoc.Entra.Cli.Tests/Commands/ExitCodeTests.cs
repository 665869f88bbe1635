using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// The exit codes: the README's table is exactly <see cref="ExitCodes"/>, each ENTRA code falls in its family, and the
/// two rows no figure run can show (a bug, an interruption) are produced here. docs/cli.md shows the others.
/// </summary>
public partial class ExitCodeTests
{
    [Test]
    public void The_READMEs_table_lists_exactly_the_tools_exit_codes()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        var table = readme[readme.IndexOf("| exit | meaning |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = TableRow().Matches(table).Select(match => int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.That(documented, Is.EqualTo(Codes().Order().ToList()));
    }

    [TestCase(EntraErrorCode.ConnectionFailed, ExitCodes.EntraAccess)]
    [TestCase(EntraErrorCode.AuthenticationFailed, ExitCodes.EntraAccess)]
    [TestCase(EntraErrorCode.Throttled, ExitCodes.EntraAccess)]
    [TestCase(EntraErrorCode.NamedLocationReadFailed, ExitCodes.EntraLocation)]
    [TestCase(EntraErrorCode.PolicyReadFailed, ExitCodes.EntraLocation)]
    [TestCase(EntraErrorCode.CapacityExceeded, ExitCodes.Refused)]
    [TestCase(EntraErrorCode.GrantRefused, ExitCodes.Refused)]
    [TestCase(EntraErrorCode.NameGuardMismatch, ExitCodes.EntraLocation)]
    [TestCase(EntraErrorCode.NamedLocationNameAmbiguous, ExitCodes.EntraLocation)]
    [TestCase(EntraErrorCode.GrantStoreDamaged, ExitCodes.State)]
    [TestCase(EntraErrorCode.StateDirectoryUnsafe, ExitCodes.State)]
    public void Each_ENTRA_code_exits_with_its_familys_code(EntraErrorCode code, int exit) =>
        Assert.That(ExitCodes.For(code), Is.EqualTo(exit));

    [Test]
    public void Every_ENTRA_code_has_a_family_other_than_success_usage_and_configuration()
    {
        var families = Enum.GetValues<EntraErrorCode>().Select(ExitCodes.For).Distinct();

        Assert.That(families, Is.SubsetOf(new[] { ExitCodes.EntraAccess, ExitCodes.EntraLocation, ExitCodes.Refused, ExitCodes.State }));
    }

    [Test]
    [NonParallelizable] // Console.Error is swapped for the process while the runner runs: anything another test wrote to it would land in this test's text.
    public async Task A_failure_the_tool_did_not_expect_is_an_internal_error_on_one_line()
    {
        var root = new Command("knocknoc-entra");
        var broken = new Command("broken");
        broken.SetAction(new Func<ParseResult, int>(_ => throw new InvalidOperationException("a bug's message")));
        root.Subcommands.Add(broken);
        var errors = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(errors);
        int exitCode;
        try
        {
            exitCode = await CommandRunner.RunAsync(root, ["broken"]);
        }
        finally
        {
            Console.SetError(standardError);
        }

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Internal));
        Assert.That(errors.ToString(), Is.EqualTo($"knocknoc-entra: internal error (please report it): System.InvalidOperationException: a bug's message{Environment.NewLine}"), "one line, no stack trace unless debug logs are asked for");
    }

    [Test]
    public async Task An_interrupted_command_exits_with_the_cancelled_code()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "POSIX signals");
        await using var tenant = await LoopbackTenant.StartAsync(configure: options => options.ResponseDelay = TimeSpan.FromHours(1));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_slow", ["192.0.2.0/32"]);
        using var guard = new CancellationTokenSource(CliProcess.Guard);
        using var tool = CliProcess.Start(tenant.Arguments("show"), tenant.Environment(location.Id));

        // Signed in, so the tool is past its start and waits on Graph's (delayed) answer.
        while (!tenant.Emulator.Journal.Any(entry => !entry.IsGraph))
        {
            await Task.Delay(20, guard.Token);
        }

        tool.Signal(2);
        var exitCode = await tool.WaitForExitAsync(guard.Token);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(tool.Errors, Does.StartWith("knocknoc-entra: stopped (SIGINT)"));
    }

    private static IEnumerable<int> Codes() => typeof(ExitCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (int)field.GetRawConstantValue()!);

    [GeneratedRegex(@"(?m)^\| (?<code>\d+) \|")]
    private static partial Regex TableRow();
}
