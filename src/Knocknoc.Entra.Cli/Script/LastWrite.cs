using System.Globalization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Script;

/// <summary>
/// What this host last wrote to an ACL's location, and when (<c>STATE_DIR/ACL/last-write</c>). Graph is eventually
/// consistent: for a while after a write, a read may still show the version before it. A drain within that while
/// builds on what was written, never on such a read, so one drain cannot undo the one before.
/// </summary>
internal sealed class LastWrite(string directory, TimeProvider time)
{
    /// <summary>How long after a write a read is not trusted; the gate's own default (<c>ReadAfterWriteDelay</c>).</summary>
    public static readonly TimeSpan ReadsDistrustedFor = TimeSpan.FromSeconds(60);

    private readonly string _path = Path.Combine(directory, "last-write");

    /// <summary>The set last written, if that was recent enough that a read may not show it yet.</summary>
    /// <returns>The set, or null when a fresh read can be trusted (or nothing was recorded, or the record is damaged).</returns>
    public CidrSet? Recent()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(_path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (lines.Length == 0 || !long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var writtenMs))
        {
            return null;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(writtenMs);
        if (age < TimeSpan.Zero || age >= ReadsDistrustedFor)
        {
            return null;
        }

        var builder = CidrSet.CreateBuilder();
        foreach (var line in lines.Skip(1))
        {
            if (!Cidr.TryParse(line, out var cidr))
            {
                // A damaged record is no basis: fall back to reading Entra.
                return null;
            }

            builder.Add(cidr);
        }

        return builder.ToSet();
    }

    /// <summary>Records a write just made (a temporary file, then a rename, so a reader sees all of it or none).</summary>
    /// <param name="written">The set written.</param>
    public void Record(CidrSet written)
    {
        var temporary = string.Concat(_path, ".tmp-", Guid.NewGuid().ToString("N"));
        var lines = new[] { time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) }
            .Concat(written.ToCidrs().Select(cidr => cidr.ToString()));
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, _path, overwrite: true);
    }
}
