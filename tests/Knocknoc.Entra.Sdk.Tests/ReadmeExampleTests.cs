using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Gate;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Tests;

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

        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.That(readme, Does.Contain($"// {line}"));
        }
    }

    [Test]
    public async Task The_gate_example_prints_what_README_says_and_README_shows_the_code_run_here()
    {
        var output = new StringWriter();

        // From README.md, with Console.WriteLine writing to `output`.
        var emulator = new EntraEmulator();                         // Entra's rules, 1 request/s per tenant
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);

        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions
        {
            LocationId = location.Id,
            NameGuard = LocationNameGuard.Prefix("knocknoc_"),      // never touch a location without the prefix
            Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
            Cloud = EntraEmulator.Cloud,
            Transport = emulator.CreateHandler(),
        });

        var until = TimeProvider.System.GetUtcNow().AddHours(8);
        await gate.GrantAsync("alice", "203.0.113.7", until);       // returns once the address is in Entra
        await gate.GrantAsync("bob", "203.0.113.7", until);         // the same NAT address: nothing to write
        await gate.RevokeAsync("alice");                            // bob still holds it, so it stays
        output.WriteLine(string.Join(", ", tenant.FindNamedLocation(location.Id)!.IpRanges));

        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));
        Assert.That(readme, Does.Contain($"// {output.ToString().Trim()}"));
        Assert.That(emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH"), Is.EqualTo(1));

        // The code above is README's, line for line (only the output redirected).
        var source = File.ReadAllText(Path.Combine(Repository.Root(), "tests", "Knocknoc.Entra.Sdk.Tests", "ReadmeExampleTests.cs"));
        var start = source.IndexOf("var emulator = new EntraEmulator();", StringComparison.Ordinal);
        var end = source.IndexOf("output.WriteLine(string.Join", start, StringComparison.Ordinal);
        foreach (var line in source[start..end].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.That(readme, Does.Contain(line), "README lacks a line the test runs");
        }
    }
}
