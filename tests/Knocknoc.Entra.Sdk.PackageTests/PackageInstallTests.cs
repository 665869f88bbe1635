using System.IO.Compression;
using System.Xml.Linq;

namespace Knocknoc.Entra.Sdk.PackageTests;

/// <summary>
/// The packages work as a user receives them: <c>dotnet pack</c> into a folder, <c>dotnet new console</c>,
/// <c>dotnet add package</c> from that folder (the machine's own package sources still serve the dependencies),
/// a grant against the emulator; and the tool, installed from the same folder, plays its demo.
/// </summary>
[NonParallelizable]
public class PackageInstallTests
{
    private PackageWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task PackAsync() => _workspace = await PackageWorkspace.PackAsync();

    [OneTimeTearDown]
    public void CleanUp() => _workspace?.Dispose();

    [Test]
    public async Task A_console_project_installs_both_packages_and_grants_against_the_emulator()
    {
        var app = _workspace.Directory("consumer");
        await _workspace.DotnetAsync(app, "new", "console", "--framework", "net10.0", "--name", "Consumer", "--output", ".");
        await _workspace.DotnetAsync(app, "add", "package", "Knocknoc.Entra.Sdk", "--version", _workspace.Version);
        await _workspace.DotnetAsync(app, "add", "package", "Knocknoc.Entra.Sdk.Testing", "--version", _workspace.Version);
        File.Copy(Path.Combine(TestContext.CurrentContext.TestDirectory, "Consumer", "Program.cs"), Path.Combine(app, "Program.cs"), overwrite: true);

        var output = await _workspace.DotnetAsync(app, "run");

        Assert.That(output.Split('\n', StringSplitOptions.TrimEntries), Is.SupersetOf(new[]
        {
            "granted: 203.0.113.7/32",
            "refused: ENTRA059",
            "revoked: 192.0.2.0/32",
        }));
        var assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.That(assets, Does.Contain($"Knocknoc.Entra.Sdk/{_workspace.Version}"), "the SDK came from the packed package");
    }

    [Test]
    public async Task The_tool_installs_from_the_package_and_plays_its_demo()
    {
        var tools = _workspace.Directory("tools");
        await _workspace.DotnetAsync(_workspace.Root, "tool", "install", "Knocknoc.Entra.Cli", "--version", _workspace.Version, "--tool-path", tools);

        var output = await _workspace.RunAsync(tools, Path.Combine(tools, "knocknoc-entra"), "demo");

        Assert.That(output, Does.Contain("demo done:").And.Contain("0 errors"));
    }

    [TestCase("Knocknoc.Entra.Sdk", "lib/net10.0/Knocknoc.Entra.Sdk.xml")]
    [TestCase("Knocknoc.Entra.Sdk.Testing", "lib/net10.0/Knocknoc.Entra.Sdk.Testing.xml")]
    [TestCase("Knocknoc.Entra.Sdk.Azure", "lib/net10.0/Knocknoc.Entra.Sdk.Azure.xml")]
    [TestCase("Knocknoc.Entra.Sdk.PostgreSql", "lib/net10.0/Knocknoc.Entra.Sdk.PostgreSql.xml")]
    [TestCase("Knocknoc.Entra.Cli", "tools/net10.0/any/DotnetToolSettings.xml")]
    public void A_package_carries_its_license_readme_repository_commit_docs_and_symbols(string id, string payload)
    {
        using var package = ZipFile.OpenRead(_workspace.Package(id));
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Multiple(() =>
        {
            Assert.That(Value("license"), Is.EqualTo("MIT"));
            Assert.That(Value("readme"), Is.EqualTo("README.md"));
            Assert.That(Value("description"), Is.Not.Empty);

            // Repository metadata: always the commit; the URL too when the clone has a remote (SourceLink's source).
            var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.That(repository.Attribute("type")?.Value, Is.EqualTo("git"));
            Assert.That(repository.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"));
            Assert.That(package.GetEntry("README.md"), Is.Not.Null);
            Assert.That(package.GetEntry(payload), Is.Not.Null, $"{id} lacks {payload}");
            Assert.That(File.Exists(Path.ChangeExtension(_workspace.Package(id), ".snupkg")), Is.True, "a symbols package");
        });
    }
}
