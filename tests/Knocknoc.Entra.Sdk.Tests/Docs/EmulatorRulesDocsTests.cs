using System.Text.RegularExpressions;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// docs/testing.md lists every rule the emulator enforces, with its source, in a table between
/// <c>emulator-rules</c> markers; it must say exactly what <see cref="EntraEmulator.Rules"/> says, row for row.
/// (That each rule is enforced is <c>Emulator/EmulatorRuleCatalogueTests</c>' part.)
/// </summary>
public partial class EmulatorRulesDocsTests
{
    [Test]
    public void The_table_of_rules_in_testing_md_is_the_emulators_catalogue()
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "testing.md"));

        var documented = Rows(markdown);

        Assert.That(documented, Is.EqualTo(EntraEmulator.Rules.Select(r => (r.Id, r.Summary, r.Source))));
    }

    [Test]
    public void A_row_missing_changed_or_added_is_seen()
    {
        var rule = EntraEmulator.Rules[0];
        const string Header = "<!-- emulator-rules: begin -->\n| rule | what | source |\n|---|---|---|\n";
        const string Footer = "<!-- emulator-rules: end -->\n";
        var row = $"| `{rule.Id}` | {rule.Summary} | {rule.Source} |\n";

        Assert.That(Rows(Header + row + Footer), Is.EqualTo(new[] { (rule.Id, rule.Summary, rule.Source) }));
        Assert.That(Rows(Header + row.Replace(rule.Source, "emulator's choice", StringComparison.Ordinal) + Footer).Single().Source, Is.Not.EqualTo(rule.Source));
        Assert.That(Rows(Header + Footer), Is.Empty);
        Assert.That(Rows("| `x` | y | z |\n"), Is.Empty, "rows outside the markers are not the table");
    }

    private static List<(string Id, string Summary, string Source)> Rows(string markdown)
    {
        var begin = markdown.IndexOf("<!-- emulator-rules: begin -->", StringComparison.Ordinal);
        var end = markdown.IndexOf("<!-- emulator-rules: end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return [];
        }

        return [.. Row().Matches(markdown[begin..end]).Select(m => (m.Groups["id"].Value, m.Groups["summary"].Value.Trim(), m.Groups["source"].Value.Trim()))];
    }

    [GeneratedRegex(@"^\| `(?<id>[a-z-]+)` \|(?<summary>[^|]+)\|(?<source>[^|]+)\|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
