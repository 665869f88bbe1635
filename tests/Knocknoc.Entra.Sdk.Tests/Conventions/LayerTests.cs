using Knocknoc.Entra.Tests;

namespace Knocknoc.Entra.Sdk.Tests.Conventions;

/// <summary>
/// The SDK's folders depend one way: the host-facing gate and hosting at the top, the CIDR algebra and the errors at
/// the bottom. Read from the compiled assembly, so a new back edge fails here whatever file it hides in.
/// </summary>
public class LayerTests
{
    /// <summary>Top to bottom: a folder may use only folders after it.</summary>
    private static readonly string[] Order =
    [
        "Hosting", "Gate", "Enforcement", "Graph", "Authentication", "Resilience", "GrantStores", "Grants", "Clouds", "Diagnostics", "Errors", "CidrAlgebra",
    ];

    /// <summary>What the compiled SDK uses, and what its source files' <c>using</c> directives name (constants leave no trace in IL).</summary>
    private static SortedSet<string> Edges()
    {
        var source = Path.Combine(Repository.Root(), "src", "Knocknoc.Entra.Sdk");
        var edges = FolderGraph.Edges(typeof(NamedLocationGate).Assembly, "Knocknoc.Entra.Sdk", type =>
            // The DI extension methods live in Microsoft's namespace, as is the convention, in Hosting/.
            type.Namespace == "Microsoft.Extensions.DependencyInjection" ? "Hosting" : null,
            FolderGraph.RootTypeFolders(source, "Knocknoc.Entra.Sdk"));
        edges.UnionWith(FolderGraph.SourceEdges(source, typeof(NamedLocationGate).Assembly, "Knocknoc.Entra.Sdk", "(root)"));
        return edges;
    }

    [Test]
    public void Every_folder_uses_only_folders_below_it()
    {
        var edges = Edges();
        Assert.That(edges, Has.Count.GreaterThan(20), "the scan finds the SDK's edges");
        Assert.That(LayerOrder.Violations(edges, Order), Is.Empty);
    }

    [Test]
    public void Every_type_of_the_root_namespace_is_placed_in_the_folder_of_its_source_file()
    {
        // The host-facing types of several folders share the root namespace; the layers follow their folders, so a
        // type the source scan missed would drop out of the graph unseen.
        var folders = FolderGraph.RootTypeFolders(Path.Combine(Repository.Root(), "src", "Knocknoc.Entra.Sdk"), "Knocknoc.Entra.Sdk");
        var rootTypes = typeof(NamedLocationGate).Assembly.GetTypes()
            .Where(t => t.DeclaringType is null && t.Namespace == "Knocknoc.Entra.Sdk" && !t.Name.StartsWith('<'))
            .Select(t => t.Name.Split('`')[0])
            .ToList();

        Assert.That(rootTypes, Has.Count.GreaterThan(30));
        Assert.That(rootTypes.Where(name => !folders.ContainsKey(name)), Is.Empty);
        Assert.That(rootTypes.Select(name => folders[name]).Distinct(), Is.SubsetOf(Order));
    }

    [Test]
    public void The_architecture_document_draws_exactly_the_folders_and_arrows_of_the_code()
    {
        var drawn = LayerOrder.Render(Edges(), Order);
        Assert.That(LayerOrder.Documented("Knocknoc.Entra.Sdk"), Is.EqualTo(LayerOrder.Normalise(drawn)), $"docs/architecture.md should draw:\n{drawn}");
    }
}
