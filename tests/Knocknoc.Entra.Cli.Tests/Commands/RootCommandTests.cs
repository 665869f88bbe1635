using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>The tool as a whole: its help lists the commands, and a wrong command line fails without doing anything.</summary>
public class RootCommandTests
{
    [Test]
    public async Task Help_lists_the_commands()
    {
        var (exitCode, output, _) = await CliProcess.RunAsync(["--help"]);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain("demo").And.Contain("emulator"));
    }

    [Test]
    public async Task An_unknown_command_fails()
    {
        var (exitCode, _, errors) = await CliProcess.RunAsync(["no-such-command"]);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(errors, Is.Not.Empty);
    }
}
