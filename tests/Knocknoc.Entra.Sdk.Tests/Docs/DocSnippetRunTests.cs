using Knocknoc.Entra.DocSnippets.Readme;

namespace Knocknoc.Entra.Sdk.Tests.Docs;

/// <summary>
/// The docs' runnable snippets, run: what they print is what their <c>// output</c> lines say, and what they do
/// to the emulated tenant is what the text around them claims.
/// </summary>
[NonParallelizable] // Console.Out is redirected while a snippet runs.
public class DocSnippetRunTests
{
    [Test]
    public async Task The_quick_start_prints_what_it_says()
    {
        var printed = await Snippets.PrintedByAsync(QuickStart.RunAsync);

        Assert.That(printed, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Snippets.AssertShownAsOutput("readme-quick-start", printed);
    }

    [Test]
    public async Task The_CIDR_example_prints_what_it_says()
    {
        var printed = await Snippets.PrintedByAsync(() => { CidrAlgebraExample.Run(); return Task.CompletedTask; });

        Assert.That(printed, Has.Length.EqualTo(2));
        Snippets.AssertShownAsOutput("readme-cidr-algebra", printed);
    }

    [Test]
    public async Task The_hosted_quick_start_grants_through_the_container_and_keeps_its_store()
    {
        var site = new DocSite();
        var contentRoot = Directory.CreateTempSubdirectory("knocknoc-docs-").FullName;
        try
        {
            string[] args =
            [
                $"--contentRoot={contentRoot}",
                $"--Entra:LocationId={site.Location.Id}",
                "--Entra:NameGuard:Prefix=knocknoc_",
                $"--Entra:Store:Path={Path.Combine(contentRoot, "grants.txt")}",
                $"--Entra:Credential:tenantId={site.Tenant.TenantId}",
                $"--Entra:Credential:clientId={site.App.ClientId}",
                $"--Entra:Credential:clientSecret={site.App.ClientSecret}",
            ];

            await QuickStartWithHost.RunAsync(args, site.AddEmulator);

            Assert.That(site.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
            Assert.That(File.ReadAllText(Path.Combine(contentRoot, "grants.txt")), Does.Contain("alice"));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }
}
