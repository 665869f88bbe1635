using System.Text.Json;
using Knocknoc.Entra.Cli.Commands;
using Knocknoc.Entra.Cli.Output;

namespace Knocknoc.Entra.Cli.Tests.Output;

/// <summary><c>--json</c> prints strings as they are: no <c>\u0027</c> for an apostrophe, yet always valid JSON.</summary>
public class CliJsonTests
{
    [Test]
    public void Apostrophes_and_letters_stay_plain_while_quotes_and_controls_are_escaped()
    {
        var check = DoctorCheck.Warned("policies", "used only by 'Trial' & <Zoë>, \"quoted\"\tand tabbed");

        var text = CliJson.Serialize(new List<DoctorCheck> { check }, CliJsonContext.Default.ListDoctorCheck);

        Assert.That(text, Does.Contain("'Trial' & <Zoë>").And.Not.Contain("\\u0027").And.Contain("\\\"quoted\\\"").And.Contain("\\t"));
        using var parsed = JsonDocument.Parse(text);
        Assert.That(parsed.RootElement[0].GetProperty("detail").GetString(), Is.EqualTo(check.Detail));
        Assert.That(parsed.RootElement[0].GetProperty("status").GetString(), Is.EqualTo("warn"));
    }
}
