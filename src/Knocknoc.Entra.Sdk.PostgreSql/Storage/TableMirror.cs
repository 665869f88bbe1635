namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// The writer's copy of the location's grants at <see cref="Version"/>. After the takeover's full read, each new
/// version costs the writer only the rows changed since the copy's version (<see cref="SharedGrantTable.ReadChangesAsync"/>),
/// not the whole table: ended rows carry an expiry of <c>-infinity</c> and leave the copy like expired ones.
/// </summary>
internal sealed class TableMirror
{
    private readonly Dictionary<string, SharedGrant> _grants = new(StringComparer.Ordinal);

    /// <summary>Gets the table's version the copy holds; -1 before the first full read, or after <see cref="Invalidate"/>.</summary>
    public long Version { get; private set; } = -1;

    /// <summary>Gets a value indicating whether the next read must be a full one.</summary>
    public bool NeedsFullRead => Version < 0;

    /// <summary>Takes the table's live grants at <paramref name="version"/> in place of the copy.</summary>
    public void Replace(long version, IEnumerable<SharedGrant> grants)
    {
        _grants.Clear();
        foreach (var grant in grants)
        {
            _grants[grant.GrantId] = grant;
        }

        Version = version;
    }

    /// <summary>Applies the rows changed after <see cref="Version"/>, read at <paramref name="version"/>.</summary>
    public void Apply(long version, IEnumerable<SharedGrant> changed, DateTimeOffset now)
    {
        foreach (var row in changed)
        {
            if (row.ExpiresAt > now)
            {
                _grants[row.GrantId] = row;
            }
            else
            {
                _grants.Remove(row.GrantId);
            }
        }

        Version = version;
    }

    /// <summary>Forgets the copy: the next read is a full one (after a failure, rather than trust what may be partial).</summary>
    public void Invalidate() => Version = -1;

    /// <summary>The live grants at <paramref name="now"/>; expired ones leave the copy (the writer clears their rows).</summary>
    public List<SharedGrant> Live(DateTimeOffset now)
    {
        var live = new List<SharedGrant>(_grants.Count);
        List<string>? expired = null;
        foreach (var grant in _grants.Values)
        {
            if (grant.ExpiresAt > now)
            {
                live.Add(grant);
            }
            else
            {
                (expired ??= []).Add(grant.GrantId);
            }
        }

        foreach (var id in expired ?? [])
        {
            _grants.Remove(id);
        }

        return live;
    }
}
