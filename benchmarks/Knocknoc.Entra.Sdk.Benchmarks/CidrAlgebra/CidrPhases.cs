using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// The phases the comparison with other tools times, written once so that the BenchmarkDotNet class and the
/// side-by-side run (<see cref="CidrCompare"/>) measure exactly the same work.
/// </summary>
internal static class CidrPhases
{
    /// <summary>Parse: newline-separated UTF-8 lines to values, the whole buffer at once.</summary>
    public static int ParseLines(ReadOnlySpan<byte> utf8, Cidr[] output) => Cidr.ParseLines(utf8, output, out _);

    /// <summary>Parse as before <see cref="Cidr.ParseLines"/>: split the buffer into lines, then read each alone.</summary>
    public static int ParseLineByLine(ReadOnlySpan<byte> utf8, Cidr[] output)
    {
        var count = 0;
        foreach (var range in utf8.Split((byte)'\n'))
        {
            var line = utf8[range];
            if (!line.IsEmpty)
            {
                output[count++] = Cidr.Parse(line);
            }
        }

        return count;
    }

    /// <summary>Aggregate: values to the minimal CIDR list.</summary>
    public static ImmutableArray<Cidr> Aggregate(ReadOnlySpan<Cidr> cidrs) => CidrSet.Create(cidrs).ToCidrs();

    /// <summary>Diff: both lists of values to what to add and what to remove, as minimal CIDR lists (sets built inside).</summary>
    public static (ImmutableArray<Cidr> Added, ImmutableArray<Cidr> Removed) Diff(ReadOnlySpan<Cidr> oldCidrs, ReadOnlySpan<Cidr> newCidrs)
    {
        var diff = CidrSet.Diff(CidrSet.Create(oldCidrs), CidrSet.Create(newCidrs));
        return (diff.Added.ToCidrs(), diff.Removed.ToCidrs());
    }

    /// <summary>The pipeline a user runs: a UTF-8 file of lines to a set, reading the file in chunks of whole lines.</summary>
    public static CidrSet FileToSet(string path)
    {
        var builder = CidrSet.CreateBuilder();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var cidrs = new Cidr[1024]; // 24 KB: under the large object heap's threshold
        var filled = 0;
        int read;
        while ((read = stream.Read(buffer, filled, buffer.Length - filled)) > 0 || filled > 0)
        {
            filled += read;
            var chunk = buffer.AsSpan(0, filled);
            var end = read == 0 ? filled : chunk.LastIndexOf((byte)'\n') + 1;
            var lines = chunk[..end];
            while (!lines.IsEmpty)
            {
                var written = Cidr.ParseLines(lines, cidrs, out var consumed);
                builder.AddRange(cidrs.AsSpan(0, written));
                lines = lines[consumed..];
            }

            chunk[end..].CopyTo(buffer);
            filled -= end;
        }

        return builder.ToSet();
    }
}
