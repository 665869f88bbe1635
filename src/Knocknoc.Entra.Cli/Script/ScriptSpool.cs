using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Script;

/// <summary>One queued change of an ACL's location: <c>add</c> or <c>del</c> a network, or <c>flush</c>.</summary>
/// <param name="File">The spool file that holds it.</param>
/// <param name="Verb">add, del or flush.</param>
/// <param name="Network">The network, null for flush.</param>
internal sealed record SpooledChange(string File, string Verb, Cidr? Network)
{
    /// <summary>Applies the change to a set.</summary>
    /// <param name="held">The set.</param>
    /// <returns>The set after the change.</returns>
    public CidrSet ApplyTo(CidrSet held) => Verb switch
    {
        "add" => held.Union(CidrSet.Create(Network!.Value)),
        "del" => held.Except(CidrSet.Create(Network!.Value)),
        _ => CidrSet.Empty,
    };
}

/// <summary>
/// An ACL's spool: <c>STATE_DIR/ACL/spool/</c>, one small file per queued change, written whole (a temporary name,
/// then a rename) and named so that their order is the order they were queued in.
/// </summary>
internal sealed class ScriptSpool
{
    private const string Extension = ".change";
    private readonly string _spool;

    /// <summary>Initializes a new instance of the <see cref="ScriptSpool"/> class.</summary>
    /// <param name="directory">The ACL's state directory.</param>
    public ScriptSpool(string directory)
    {
        Directory = directory;
        _spool = Path.Combine(directory, "spool");
        System.IO.Directory.CreateDirectory(_spool);
    }

    /// <summary>Gets the ACL's state directory (the lock file lives there).</summary>
    public string Directory { get; }

    /// <summary>Queues a change.</summary>
    /// <param name="verb">add, del or flush.</param>
    /// <param name="network">The network, null for flush.</param>
    /// <param name="now">The time, for the order of the spool.</param>
    /// <returns>The spool file written.</returns>
    public string Append(string verb, Cidr? network, DateTimeOffset now)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D20}-{Environment.ProcessId:D10}-{Guid.NewGuid():N}");
        var temporary = Path.Combine(_spool, $".{name}.tmp");
        var final = Path.Combine(_spool, name + Extension);
        File.WriteAllText(temporary, network is { } n ? $"{verb} {n}\n" : $"{verb}\n");
        File.Move(temporary, final);
        return final;
    }

    /// <summary>Reads every queued change, in queue order.</summary>
    /// <returns>The changes.</returns>
    public IReadOnlyList<SpooledChange> ReadAll()
    {
        var changes = new List<SpooledChange>();
        foreach (var file in System.IO.Directory.EnumerateFiles(_spool, "*" + Extension).Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(file).Trim();
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var parts = text.Split(' ', 2);
            changes.Add(parts[0] switch
            {
                "add" or "del" when parts.Length == 2 && Cidr.TryParseLenient(parts[1], out var network, out _) => new SpooledChange(file, parts[0], network),
                "flush" => new SpooledChange(file, "flush", null),
                _ => throw new InvalidDataException($"the spool file {file} is not a change: '{text}'"),
            });
        }

        return changes;
    }
}
