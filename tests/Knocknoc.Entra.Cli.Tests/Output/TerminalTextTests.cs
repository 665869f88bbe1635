using Knocknoc.Entra.Cli.Output;

namespace Knocknoc.Entra.Cli.Tests.Output;

/// <summary>Text from outside is shown with its control characters made visible, never written raw to a terminal.</summary>
public class TerminalTextTests
{
    [Test]
    public void Control_characters_are_shown_as_escapes_and_line_breaks_and_tabs_stay()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TerminalText.Safe("plain name"), Is.EqualTo("plain name"));
            Assert.That(TerminalText.Safe("a\u001b[2J\u001b[32mb"), Is.EqualTo("a\\u001B[2J\\u001B[32mb"));
            Assert.That(TerminalText.Safe("bell\u0007 del\u007f c1\u009b"), Is.EqualTo("bell\\u0007 del\\u007F c1\\u009B"));
            Assert.That(TerminalText.Safe("abc\u202edcba \u2066x\u2069"), Is.EqualTo("abc\\u202Edcba \\u2066x\\u2069"));
            Assert.That(TerminalText.Safe("two\nlines\tand a tab"), Is.EqualTo("two\nlines\tand a tab"));
        });
    }
}
