using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests;

/// <summary>README.md's first example, run as written, so its printed output cannot drift from the truth.</summary>
public class ReadmeExampleTests
{
    [Test]
    public void The_CIDR_algebra_example_prints_what_README_says()
    {
        var output = new StringWriter();

        // From README.md, with Console.WriteLine writing to `output`.
        string[] inEntra = ["192.0.2.0/32", "12.34.221.11/22", "2001:0DB8:0:0:0:0:0:1/128", "203.0.113.7/32", "203.0.113.7/32"];
        var current = CidrSet.CreateBuilder();
        foreach (var text in inEntra)
        {
            current.Add(Cidr.ParseLenient(text));
        }

        var desired = CidrSet.Create(Cidr.Parse("203.0.113.6/32"), Cidr.Parse("203.0.113.7/32"), Cidr.Parse("2001:db8::1/128"));

        var diff = CidrSet.Diff(current.ToSet(), desired);
        output.WriteLine($"add {diff.Added}, remove {diff.Removed}");
        output.WriteLine($"write {string.Join(", ", desired.ToCidrs())} ({desired.CidrCount} of 2,000 ranges)");

        var readme = File.ReadAllText(Path.Combine(Support.Repository.Root(), "README.md"));
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.That(readme, Does.Contain($"// {line}"));
        }
    }
}
