using System.Globalization;
using System.Text;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.GrantStores;

/// <summary>
/// Writes store files by hand, with the line checksum computed here independently of the library, so the tests pin
/// the documented format rather than whatever the writer happens to do.
/// </summary>
internal static class StoreFiles
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    public static StoredGrant Grant(string id, string network, int expiresInMinutes) =>
        new(id, Cidr.Parse(network), Epoch.AddMinutes(expiresInMinutes).AddMilliseconds(123), Epoch.AddMilliseconds(-4567));

    /// <summary>One line: the content, a space, FNV-1a 32-bit of the content's UTF-8 as 8 hex digits, a line feed.</summary>
    public static string Line(string content) => $"{content} {Fnv1a(Encoding.UTF8.GetBytes(content)):x8}\n";

    public static string Header => Line("knocknoc-entra-grants 1");

    public static string End(int records) => Line(string.Create(CultureInfo.InvariantCulture, $"end {records}"));

    public static string GrantLine(StoredGrant grant) => Line(string.Create(
        CultureInfo.InvariantCulture,
        $"grant {Uri.EscapeDataString(grant.GrantId)} {grant.Network} {grant.ExpiresAt.ToUnixTimeMilliseconds()} {grant.GrantedAt.ToUnixTimeMilliseconds()}"));

    public static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 0x811C9DC5u;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash = unchecked(hash * 0x01000193u);
        }

        return hash;
    }

    /// <summary>Where each line starts and where its line feed is, in the bytes of a store file.</summary>
    public static List<(int Start, int LineFeed)> Lines(byte[] file)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start < file.Length)
        {
            var lineFeed = Array.IndexOf(file, (byte)'\n', start);
            lines.Add((start, lineFeed));
            start = lineFeed + 1;
        }

        return lines;
    }

    /// <summary>The line holding <paramref name="grant"/>, found by its escaped id.</summary>
    public static int LineOf(byte[] file, StoredGrant grant)
    {
        var prefix = Encoding.ASCII.GetBytes($"grant {Uri.EscapeDataString(grant.GrantId)} ");
        var lines = Lines(file);
        return lines.FindIndex(l => file.AsSpan(l.Start).StartsWith(prefix));
    }
}
