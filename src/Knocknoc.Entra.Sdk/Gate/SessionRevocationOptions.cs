using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Opt-in session revocation: when the last grant of an Entra user ends (revoked, expired, flushed or reconciled
/// away) and Entra holds the location without the address, the gate ends the user's sign-in sessions
/// (<c>POST /users/{id}/revokeSignInSessions</c>, application permission <c>User.RevokeSessions.All</c>), so tokens
/// already issued stop working within minutes instead of up to an hour.
/// </summary>
/// <remarks>
/// The trade-off: Entra ends the user's sessions on every device and in every app, not only those from the revoked
/// address. Never for a user who still holds another grant of the gate; never twice for one end. See
/// docs/effective-access.md.
/// </remarks>
public sealed class SessionRevocationOptions
{
    /// <summary>
    /// Gets or sets the Entra user a grant was issued for (object id or user principal name), or null for a grant
    /// of no Entra user. Called once when a grant id is first granted; the answer is kept for that grant.
    /// </summary>
    /// <value>The default value is null, which <see cref="NamedLocationGateOptions.Validate"/> refuses.</value>
    public Func<string, string?>? UserOf { get; set; }

    /// <summary>Gets or sets the client that ends sessions.</summary>
    /// <value>The default value is null: the gate's own Graph client (which must be an <see cref="ISignInSessionClient"/>).</value>
    public ISignInSessionClient? Client { get; set; }
}
