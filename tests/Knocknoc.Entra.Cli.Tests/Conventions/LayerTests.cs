using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Cli.Tests.Conventions;

/// <summary>
/// The tool's folders depend one way: the program and its commands at the top, the state directory and plain output
/// at the bottom. Read from the compiled tool, so a new back edge fails here whatever file it hides in.
/// </summary>
public class LayerTests
{
    /// <summary>Top to bottom: a folder may use only folders after it. <c>Program</c> is the top-level program.</summary>
    private static readonly string[] Order =
    [
        "Program", "Commands", "Runtime", "Script", "Demo", "Emulator", "Shared", "Changes", "Locations", "Configuration", "State", "Output",
    ];

    /// <summary>What the compiled tool uses, and what its source files' <c>using</c> directives name (constants leave no trace in IL).</summary>
    private static SortedSet<string> Edges()
    {
        var edges = FolderGraph.Edges(typeof(ExitCodes).Assembly, "Knocknoc.Entra.Cli", type => type is { Namespace: null, Name: "Program" } ? "Program" : null);
        edges.UnionWith(FolderGraph.SourceEdges(Path.Combine(Repository.Root(), "src", "Knocknoc.Entra.Cli"), typeof(ExitCodes).Assembly, "Knocknoc.Entra.Cli", "Program"));
        return edges;
    }

    [Test]
    public void Every_folder_uses_only_folders_below_it()
    {
        var edges = Edges();
        Assert.That(edges, Has.Count.GreaterThan(15), "the scan finds the tool's edges");
        Assert.That(LayerOrder.Violations(edges, Order), Is.Empty);
    }

    [Test]
    public void The_architecture_document_draws_exactly_the_folders_and_arrows_of_the_code()
    {
        var drawn = LayerOrder.Render(Edges(), Order);
        Assert.That(LayerOrder.Documented("Knocknoc.Entra.Cli"), Is.EqualTo(LayerOrder.Normalise(drawn)), $"docs/architecture.md should draw:\n{drawn}");
    }
}
