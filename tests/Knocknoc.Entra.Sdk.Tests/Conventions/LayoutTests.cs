using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Conventions;

/// <summary>Rules of the source layout: small files, so a folder reads as the concept it holds.</summary>
public class LayoutTests
{
    private const int MaxGateFileLines = 300;

    [Test]
    public void No_file_of_the_gate_is_over_300_lines()
    {
        // The gate was once one class of 1,700 lines across three files: its core and driver stay split by state.
        var gate = Path.Combine(Repository.Root(), "src", "Knocknoc.Entra.Sdk", "Gate");
        var files = Directory.GetFiles(gate, "*.cs", SearchOption.AllDirectories);
        var tooLong = files
            .Select(file => (Name: Path.GetRelativePath(gate, file), Lines: File.ReadLines(file).Count()))
            .Where(file => file.Lines > MaxGateFileLines)
            .Select(file => $"{file.Name}: {file.Lines} lines");

        Assert.That(files, Is.Not.Empty);
        Assert.That(tooLong, Is.Empty);
    }
}
