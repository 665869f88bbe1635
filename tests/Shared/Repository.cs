namespace Knocknoc.Entra.Tests;

/// <summary>Where the repository's files are, seen from a running test (compiled into every test project).</summary>
internal static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Knocknoc.Entra.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("The repository root was not found above the test directory.");
    }
}
