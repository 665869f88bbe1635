using System.Text.RegularExpressions;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// docs/error-codes.md documents every ENTRA code and no other: one section per code, headed
/// <c>## ENTRAnnn: title</c> with the catalogue's title, each giving its meaning, causes, what to do and how the SDK
/// reacts. A code added to <see cref="EntraErrorCode"/> without its section fails here.
/// </summary>
public partial class ErrorCodeDocsTests
{
    private static readonly string[] Labels = ["**Meaning**", "**Causes**", "**What to do**", "**How the SDK reacts**"];

    [Test]
    public void Every_code_has_its_section_with_the_four_parts_and_no_other_code_has_one()
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "error-codes.md"));

        Assert.That(Problems(markdown, Enum.GetValues<EntraErrorCode>()), Is.Empty);
    }

    [Test]
    public void A_missing_renamed_unknown_or_incomplete_section_is_found()
    {
        const string markdown = """
            # Codes

            ## ENTRA000: Failed to connect to Microsoft Graph

            **Meaning**: x
            **Causes**: x
            **What to do**: x

            ## ENTRA002: Microsoft Entra authorisation failed

            **Meaning**: x
            **Causes**: x
            **What to do**: x
            **How the SDK reacts**: x

            ## ENTRA099: Something new

            **Meaning**: x
            """;

        var problems = Problems(markdown, [EntraErrorCode.ConnectionFailed, EntraErrorCode.AuthenticationFailed, EntraErrorCode.AuthorizationFailed]);

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "ENTRA000: the section has no line starting **How the SDK reacts**",
            "ENTRA001: no heading '## ENTRA001: Microsoft Entra authentication failed'",
            "ENTRA002: no heading '## ENTRA002: Microsoft Entra authorization failed'",
            "a heading for a code that does not exist or with the wrong title: '## ENTRA002: Microsoft Entra authorisation failed'",
            "a heading for a code that does not exist or with the wrong title: '## ENTRA099: Something new'",
        }));
    }

    /// <summary>What is wrong with <paramref name="markdown"/> as the documentation of <paramref name="codes"/>; empty when nothing is.</summary>
    private static List<string> Problems(string markdown, IReadOnlyCollection<EntraErrorCode> codes)
    {
        var sections = Sections(markdown);
        var expected = codes.ToDictionary(code => $"## {EntraErrorCatalog.Format(code)}: {EntraErrorCatalog.Describe(code)}", code => code, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (heading, code) in expected)
        {
            var found = sections.Where(s => s.Heading == heading).ToList();
            if (found.Count == 0)
            {
                problems.Add($"{EntraErrorCatalog.Format(code)}: no heading '{heading}'");
                continue;
            }

            if (found.Count > 1)
            {
                problems.Add($"{EntraErrorCatalog.Format(code)}: {found.Count} headings '{heading}'");
            }

            foreach (var label in Labels)
            {
                var count = found[0].Lines.Count(line => line.StartsWith(label, StringComparison.Ordinal));
                if (count != 1)
                {
                    problems.Add($"{EntraErrorCatalog.Format(code)}: the section has {(count == 0 ? "no" : count.ToString(System.Globalization.CultureInfo.InvariantCulture))} line{(count > 1 ? "s" : string.Empty)} starting {label}");
                }
            }
        }

        foreach (var section in sections.Where(s => CodeHeading().IsMatch(s.Heading) && !expected.ContainsKey(s.Heading)))
        {
            problems.Add($"a heading for a code that does not exist or with the wrong title: '{section.Heading}'");
        }

        return problems;
    }

    /// <summary>The level-2 sections of a markdown text: each heading with the lines up to the next level-2 heading.</summary>
    private static List<(string Heading, List<string> Lines)> Sections(string markdown)
    {
        var sections = new List<(string Heading, List<string> Lines)>();
        var inFence = false;
        foreach (var raw in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                sections.Add((line, []));
            }
            else if (sections.Count > 0)
            {
                sections[^1].Lines.Add(line.TrimStart());
            }
        }

        return sections;
    }

    [GeneratedRegex(@"^##\s+ENTRA", RegexOptions.IgnoreCase)]
    private static partial Regex CodeHeading();
}
