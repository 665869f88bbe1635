using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Benchmarks.CidrAlgebra;

/// <summary>
/// The SDK's side of benchmarks/compare-cidr-tools.py: writes the generated lists, then times the phases on them
/// in one process (after warm-up, so the JIT has settled) and writes the results for the script to check.
/// </summary>
internal static class CidrCompare
{
    /// <summary><c>cidr-lists N DIR</c>: old.txt and new.txt, seed 42, one CIDR a line.</summary>
    public static void WriteLists(int count, string directory)
    {
        var lists = RealisticCidrLists.Generate(count, seed: 42);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "old.txt"), string.Join('\n', lists.OldLines) + "\n");
        File.WriteAllText(Path.Combine(directory, "new.txt"), string.Join('\n', lists.NewLines) + "\n");
    }

    /// <summary><c>cidr-compare DIR RUNS</c>: medians in ms as one line of JSON; results in DIR/sdk-*.txt.</summary>
    public static void Run(string directory, int runs)
    {
        var (oldPath, newPath) = (Path.Combine(directory, "old.txt"), Path.Combine(directory, "new.txt"));
        var (oldText, newText) = (File.ReadAllBytes(oldPath), File.ReadAllBytes(newPath));
        var (oldCidrs, newCidrs) = (new Cidr[oldText.Length / 8], new Cidr[newText.Length / 8]);
        int oldCount = 0, newCount = 0;
        ImmutableArray<Cidr> aggOld = [], aggNew = [], added = [], removed = [];
        var parse = Time(runs, () =>
        {
            oldCount = CidrPhases.ParseLines(oldText, oldCidrs);
            newCount = CidrPhases.ParseLines(newText, newCidrs);
        });
        var aggregate = Time(runs, () =>
        {
            aggOld = CidrPhases.Aggregate(oldCidrs.AsSpan(0, oldCount));
            aggNew = CidrPhases.Aggregate(newCidrs.AsSpan(0, newCount));
        });
        var diff = Time(runs, () => (added, removed) = CidrPhases.Diff(oldCidrs.AsSpan(0, oldCount), newCidrs.AsSpan(0, newCount)));
        CidrSet fromFile = CidrSet.Empty;
        var pipeline = Time(runs, () => fromFile = CidrPhases.FileToSet(oldPath));
        if (fromFile != CidrSet.Create(aggOld))
        {
            throw new InvalidOperationException("The file pipeline and the parsed list disagree.");
        }

        Write(directory, "sdk-agg-old.txt", aggOld);
        Write(directory, "sdk-agg-new.txt", aggNew);
        Write(directory, "sdk-added.txt", added);
        Write(directory, "sdk-removed.txt", removed);
        var megabytesPerSecond = oldText.Length / 1e6 / (pipeline / 1e3);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"parse\": {parse:F3}, \"aggregate\": {aggregate:F3}, \"diff\": {diff:F3}, \"file_to_set\": {pipeline:F3}, \"file_mb_per_s\": {megabytesPerSecond:F0}}}"));
    }

    private static double Time(int runs, Action phase)
    {
        // Warm up for a second and a half: tiered compilation and dynamic PGO reach their final code in the background.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 5 || (warmUp.ElapsedMilliseconds < 1500 && i < 5000); i++)
        {
            phase();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            phase();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[runs / 2];
    }

    private static void Write(string directory, string name, ImmutableArray<Cidr> cidrs)
    {
        var text = new StringBuilder();
        foreach (var cidr in cidrs)
        {
            text.Append(cidr.ToString()).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, name), text.ToString());
    }
}
