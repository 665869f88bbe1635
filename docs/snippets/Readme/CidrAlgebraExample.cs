#region snippet:readme-cidr-algebra
using Knocknoc.Entra.Sdk.CidrAlgebra;
#endregion

namespace Knocknoc.Entra.DocSnippets.Readme;

/// <summary>README's CIDR set algebra example.</summary>
public static class CidrAlgebraExample
{
    public static void Run()
    {
        #region snippet:readme-cidr-algebra
        // What a person typed into the portal: host bits set, uncompressed IPv6, a duplicate.
        string[] inEntra = ["192.0.2.0/32", "12.34.221.11/22", "2001:0DB8:0:0:0:0:0:1/128", "203.0.113.7/32", "203.0.113.7/32"];
        var current = CidrSet.CreateBuilder();
        foreach (var text in inEntra)
        {
            current.Add(Cidr.ParseLenient(text)); // 12.34.221.11/22 reads as 12.34.220.0/22
        }

        // What should be there: two neighbours merge into one /31, never anything wider.
        var desired = CidrSet.Create(Cidr.Parse("203.0.113.6/32"), Cidr.Parse("203.0.113.7/32"), Cidr.Parse("2001:db8::1/128"));

        var diff = CidrSet.Diff(current.ToSet(), desired);
        Console.WriteLine($"add {diff.Added}, remove {diff.Removed}");
        Console.WriteLine($"write {string.Join(", ", desired.ToCidrs())} ({desired.CidrCount} of 2,000 ranges)");
        // add {203.0.113.6/32}, remove {12.34.220.0/22, 192.0.2.0/32}
        // write 203.0.113.6/31, 2001:db8::1/128 (2 of 2,000 ranges)
        #endregion
    }
}
