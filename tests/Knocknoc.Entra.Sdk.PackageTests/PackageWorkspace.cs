using System.Diagnostics;
using System.Globalization;
using System.Text;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.PackageTests;

/// <summary>
/// A throwaway directory outside the repository (so none of its build settings apply) holding the packed packages
/// as a folder source, with a nuget.config that adds that folder to the machine's sources rather than replacing
/// them. The packages get a version of their own, so the machine's package cache never serves an older build; that
/// version is removed from the cache afterwards.
/// </summary>
internal sealed class PackageWorkspace : IDisposable
{
    // Hang guards only: a step that takes this long is broken, not slow.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    private PackageWorkspace(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }

    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public static async Task<PackageWorkspace> PackAsync()
    {
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var workspace = new PackageWorkspace(System.IO.Directory.CreateTempSubdirectory("knocknoc-packages-").FullName, $"0.0.0-local.{stamp}.{Environment.ProcessId}");
        File.WriteAllText(Path.Combine(workspace.Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(workspace.Root, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(workspace.Root, "nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="feed" />
              </packageSources>
            </configuration>
            """);

        // Built into the workspace, not the repository's artifacts: CI's own Release outputs stay as they were.
        var repository = Repository.Root();
        foreach (var project in new[] { "Knocknoc.Entra.Sdk", "Knocknoc.Entra.Sdk.Testing", "Knocknoc.Entra.Sdk.Azure", "Knocknoc.Entra.Sdk.PostgreSql", "Knocknoc.Entra.Cli" })
        {
            await workspace.DotnetAsync(
                repository,
                "pack", Path.Combine("src", project, $"{project}.csproj"),
                "-c", "Release",
                "-o", workspace.Feed,
                $"-p:Version={workspace.Version}",
                $"-p:ArtifactsPath={Path.Combine(workspace.Root, "artifacts")}");
        }

        return workspace;
    }

    public string Directory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>; fails the test with its output unless it exits 0.</summary>
    public Task<string> DotnetAsync(string directory, params string[] arguments) =>
        RunAsync(directory, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", arguments);

    public async Task<string> RunAsync(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        // Properties of the test run's own build (it is started by `dotnet test`) must not leak into these builds.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        using var guard = new CancellationTokenSource(Guard);
        var output = process.StandardOutput.ReadToEndAsync(guard.Token);
        var errors = process.StandardError.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);
        var text = await output + await errors;
        Assert.That(process.ExitCode, Is.Zero, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed:\n{text}");
        return text;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is cleaned by the system in time.
        }

        // This run's packages in the machine's cache, under their lower-case ids.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "knocknoc.entra.sdk", "knocknoc.entra.sdk.testing", "knocknoc.entra.cli" })
        {
            var cached = Path.Combine(cache, id, Version);
            if (System.IO.Directory.Exists(cached))
            {
                System.IO.Directory.Delete(cached, recursive: true);
            }
        }
    }
}
