namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>The tenant's users and the sign-in sessions ended for them.</summary>
public sealed partial class EmulatedTenant
{
    private readonly List<EmulatedUser> _users = [];
    private readonly List<EmulatedSessionRevocation> _revocations = [];

    /// <summary>Gets every accepted <c>revokeSignInSessions</c>, oldest first: the journal of ended sessions, per user.</summary>
    public IReadOnlyList<EmulatedSessionRevocation> SessionRevocations
    {
        get
        {
            lock (_emulator.Gate)
            {
                return [.. _revocations];
            }
        }
    }

    /// <summary>Adds a user.</summary>
    /// <param name="userPrincipalName">Its sign-in name, such as <c>alice@contoso.example</c>.</param>
    /// <returns>The user, with a new object id.</returns>
    public EmulatedUser AddUser(string userPrincipalName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userPrincipalName);
        var user = new EmulatedUser(_emulator.NewId(), userPrincipalName);
        lock (_emulator.Gate)
        {
            _users.Add(user);
        }

        return user;
    }

    /// <summary>Removes a user, as deleting the account would: revoking its sessions then answers 404.</summary>
    /// <param name="userId">The user's object id.</param>
    /// <returns>True if it existed.</returns>
    public bool RemoveUser(string userId)
    {
        lock (_emulator.Gate)
        {
            return _users.RemoveAll(user => user.Id == userId) > 0;
        }
    }

    /// <summary>How many times the user's sessions were revoked.</summary>
    /// <param name="userId">The user's object id.</param>
    /// <returns>The count.</returns>
    public int SessionRevocationCount(string userId)
    {
        lock (_emulator.Gate)
        {
            return _revocations.Count(revocation => revocation.UserId == userId);
        }
    }

    internal EmulatedUser? FindUser(string idOrName) => _users.Find(user => user.IsNamedBy(idOrName));

    internal void RevokeSessions(EmulatedUser user) => _revocations.Add(new EmulatedSessionRevocation(user.Id, _emulator.Now()));
}
