using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// Code in the docs is compiled: every C# block in README.md and docs/ is a snippet of a project CI builds
/// (<c>docs/snippets/</c>, or a test), shown exactly as it is there, and no snippet is left unshown.
/// </summary>
public class DocSnippetTests
{
    private static IEnumerable<TestCaseData> MarkdownFiles() =>
        Snippets.MarkdownFiles().Select(f => new TestCaseData(Path.GetRelativePath(Repository.Root(), f)).SetArgDisplayNames(Path.GetFileName(f)));

    [TestCaseSource(nameof(MarkdownFiles))]
    public void Every_CSharp_block_is_a_compiled_snippet_shown_as_it_is(string markdown)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root(), markdown));
        Assert.Multiple(() =>
        {
            foreach (var (line, name, code) in Snippets.BlocksOf(text))
            {
                Assert.That(name, Is.Not.Null, $"{markdown}:{line}: a C# block without a `<!-- snippet: NAME -->` line above it");
                if (name is null)
                {
                    continue;
                }

                Assert.That(Snippets.All.ContainsKey(name), Is.True, $"{markdown}:{line}: no `#region snippet:{name}` in docs/snippets or the tests");
                if (Snippets.All.TryGetValue(name, out var snippet))
                {
                    Assert.That(Snippets.Normalize(code), Is.EqualTo(snippet), $"{markdown}:{line}: the block differs from snippet '{name}'; paste the snippet");
                }
            }
        });
    }

    [Test]
    public void Every_snippet_is_shown_in_the_docs()
    {
        var shown = Snippets.MarkdownFiles()
            .SelectMany(f => Snippets.BlocksOf(File.ReadAllText(f)))
            .Select(b => b.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.That(Snippets.All.Keys.Where(n => !shown.Contains(n)), Is.Empty, "snippets no doc shows");
        Assert.That(Snippets.All, Is.Not.Empty);
    }

    [Test]
    public void A_block_that_differs_from_its_snippet_or_has_no_marker_is_found()
    {
        const string markdown = "text\n<!-- snippet: some-name -->\n```csharp\nvar x = 1;\n```\n\n```csharp\nvar y = 2;\n```\n";

        var blocks = Snippets.BlocksOf(markdown).ToList();

        Assert.That(blocks, Has.Count.EqualTo(2));
        Assert.That(blocks[0], Is.EqualTo((3, (string?)"some-name", "var x = 1;")));
        Assert.That(blocks[1].Name, Is.Null);
    }
}
