namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Grants and moves not yet durable in the store, each with what its id held before its first unsaved change. When a
/// save fails, they are undone and their calls fail with ENTRA063: a grant that a restart could lose never reaches
/// Entra. Removals are not tracked, since they go ahead whatever the store does.
/// </summary>
internal sealed class UnsavedGrants
{
    private readonly Dictionary<string, (GrantEntry? Prior, long Version)> _changes = new(StringComparer.Ordinal);

    public int Count => _changes.Count;

    /// <summary>Notes a grant or move of <paramref name="id"/> at <paramref name="version"/>; the first unsaved change keeps its prior entry.</summary>
    public void Granted(string id, GrantEntry? prior, long version) =>
        _changes[id] = (_changes.TryGetValue(id, out var earlier) ? earlier.Prior : prior, version);

    /// <summary>Forgets <paramref name="id"/>: it ended, and an undo must never bring back what it held.</summary>
    public void Ended(string id) => _changes.Remove(id);

    public void Clear() => _changes.Clear();

    /// <summary>Forgets every change a save of <paramref name="version"/> made durable.</summary>
    public void Saved(long version)
    {
        foreach (var (id, change) in _changes)
        {
            if (change.Version <= version)
            {
                _changes.Remove(id);
            }
        }
    }

    /// <summary>Returns every unsaved change with its prior entry (null: the id held nothing), and forgets them.</summary>
    public List<(string Id, GrantEntry? Prior)> TakeAll()
    {
        var all = _changes.Select(change => (change.Key, change.Value.Prior)).ToList();
        _changes.Clear();
        return all;
    }
}
