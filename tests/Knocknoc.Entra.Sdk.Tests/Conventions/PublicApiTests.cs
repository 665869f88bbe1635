using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Conventions;

/// <summary>
/// The public surface must match the committed snapshot, so no change to it goes unreviewed. After an intended change,
/// copy the file named in the failure over the snapshot and commit both (and a CHANGELOG entry).
/// </summary>
public class PublicApiTests
{
    [TestCaseSource(typeof(PublicSurface), nameof(PublicSurface.Assemblies))]
    public void The_public_API_matches_its_snapshot(System.Reflection.Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        var snapshot = Path.Combine(Repository.Root(), "tests", "Knocknoc.Entra.Sdk.Tests", "Conventions", $"PublicApi.{name}.txt");
        var actual = PublicSurface.Render(assembly);
        var expected = File.Exists(snapshot) ? File.ReadAllText(snapshot).ReplaceLineEndings("\n") : string.Empty;
        if (actual == expected)
        {
            return;
        }

        var received = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"PublicApi.{name}.received.txt");
        File.WriteAllText(received, actual);
        var actualLines = actual.Split('\n').ToHashSet();
        var expectedLines = expected.Split('\n').ToHashSet();
        Assert.Fail(
            $"The public API of {name} changed. If intended, copy {received} over {snapshot}.\n" +
            $"Added:\n  {string.Join("\n  ", actualLines.Except(expectedLines))}\nRemoved:\n  {string.Join("\n  ", expectedLines.Except(actualLines))}");
    }
}
