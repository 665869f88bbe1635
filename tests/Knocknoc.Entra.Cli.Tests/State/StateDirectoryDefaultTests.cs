using Knocknoc.Entra.Cli.State;

namespace Knocknoc.Entra.Cli.Tests.State;

/// <summary>The default state directory follows each platform's convention for a program's own state.</summary>
public class StateDirectoryDefaultTests
{
    [TestCase("STATE_DIRECTORY=/var/lib/knocknoc:/var/lib/other|HOME=/home/svc", false, "/var/lib/knocknoc")]
    [TestCase("STATE_DIRECTORY=/var/lib/knocknoc|HOME=/root", true, "/var/lib/knocknoc")]
    [TestCase("HOME=/root|XDG_STATE_HOME=/root/.state", true, "/var/lib/knocknoc-entra")]
    [TestCase("HOME=/home/alice|XDG_STATE_HOME=/home/alice/.state", false, "/home/alice/.state/knocknoc-entra")]
    [TestCase("HOME=/home/alice|XDG_STATE_HOME=relative/state", false, "/home/alice/.local/state/knocknoc-entra")]
    [TestCase("HOME=/home/alice|STATE_DIRECTORY=relative", false, "/home/alice/.local/state/knocknoc-entra")]
    public void On_Unix(string variables, bool isRoot, string expected)
    {
        var environment = variables.Split('|').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => (string?)pair[1]);

        Assert.That(StateDirectoryDefault.Choose(name => environment.GetValueOrDefault(name), isRoot, isWindows: false), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("/")]
    public void Without_a_home_there_is_none(string home) =>
        Assert.That(StateDirectoryDefault.Choose(name => name == "HOME" ? home : null, isRoot: false, isWindows: false), Is.Null);
}
