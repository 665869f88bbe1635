namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Decides when a user's last grant has ended, for opt-in session revocation: counts each Entra user's live grants as
/// the grant table changes, and once Entra confirms a write that took the user's last address out, names the user
/// exactly once. Pure, like the rest of the core: the driver asks Entra to end the sessions.
/// </summary>
/// <remarks>
/// Sessions end only after the write is confirmed, never before: revoked sessions while the address is still in the
/// location would let the user sign straight back in. A user granted again before the write names nobody: the end was
/// undone. Several ends of one user before one confirmed write are one end.
/// </remarks>
internal sealed class SessionEnds(Func<string, string?> userOf)
{
    /// <summary>The version of an end not yet part of a planned write.</summary>
    private const long Unplanned = long.MaxValue;

    // The user each grant was counted for, so a release counts against the same user whatever the host's mapping says later.
    private readonly Dictionary<string, string> _userOfGrant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _liveGrants = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string User, long Version)> _ended = [];

    /// <summary>Gets how many users hold at least one grant.</summary>
    public int UsersWithGrants => _liveGrants.Count;

    /// <summary>Gets how many ends wait for a confirmed write.</summary>
    public int PendingEnds => _ended.Count;

    /// <summary>Gets the users whose end waits for a confirmed write and who hold no grant now.</summary>
    public IEnumerable<string> PendingUsers => _ended.Select(end => end.User).Where(user => !_liveGrants.ContainsKey(user));

    /// <summary>A grant id entered the table.</summary>
    public void Held(string grantId)
    {
        if (userOf(grantId) is not { Length: > 0 } user)
        {
            return;
        }

        _userOfGrant[grantId] = user;
        _liveGrants[user] = _liveGrants.GetValueOrDefault(user) + 1;
    }

    /// <summary>
    /// A grant the store still held ended while the gate was down (its expiry passed): an end like any other, due once
    /// Entra holds the start's write without its address. The user's grants restored beside it keep it from being due.
    /// </summary>
    public void EndedWhileDown(string grantId)
    {
        Held(grantId);
        Released(grantId, undone: false);
    }

    /// <summary>
    /// A grant id left the table: revoked, expired, flushed or reconciled away (an end), or undone because the store
    /// could not keep it (no end: the host never saw it kept, and the user may never have held anything).
    /// </summary>
    public void Released(string grantId, bool undone)
    {
        if (!_userOfGrant.Remove(grantId, out var user))
        {
            return;
        }

        if (--_liveGrants[user] == 0)
        {
            _liveGrants.Remove(user);
            if (!undone)
            {
                _ended.Add((user, Unplanned));
            }
        }
    }

    /// <summary>A write of <paramref name="version"/> was planned: every end so far is in it.</summary>
    public void Planned(long version)
    {
        for (var i = 0; i < _ended.Count; i++)
        {
            if (_ended[i].Version == Unplanned)
            {
                _ended[i] = (_ended[i].User, version);
            }
        }
    }

    /// <summary>
    /// Entra holds the write of <paramref name="version"/>: returns each user whose end it carried and who holds no
    /// grant now, once; ends of users granted again are dropped.
    /// </summary>
    public List<string> Confirmed(long version)
    {
        var due = new List<string>();
        if (_ended.Count == 0)
        {
            return due;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _ended.RemoveAll(end =>
        {
            if (end.Version > version)
            {
                return false;
            }

            if (!_liveGrants.ContainsKey(end.User) && seen.Add(end.User))
            {
                due.Add(end.User);
            }

            return true;
        });
        return due;
    }
}
