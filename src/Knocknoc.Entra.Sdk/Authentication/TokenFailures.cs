
namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Turns a failure to get a token into its ENTRA code, as the SDK's own token source does: for an
/// <see cref="IAccessTokenSource"/> of your own (or the Azure.Core adapter) so that its failures are retried and
/// reported like the SDK's.
/// </summary>
public static class TokenFailures
{
    /// <summary>
    /// Maps <paramref name="failure"/>: network failures, throttling and sign-in outages to transient codes (ENTRA000
    /// for a connection or a sign-in outage, 004 for a timeout, 005 for throttling, 054 for an answer that is not
    /// Entra's; 003, a failed TLS handshake, is not transient); a refused credential to ENTRA001 with its cause read from
    /// the AADSTS code (in the exception or any inner one, as MSAL and Azure.Identity report it); an
    /// <see cref="EntraException"/> anywhere in the chain as it is.
    /// </summary>
    /// <param name="failure">What the token acquisition threw (not a cancellation the caller asked for).</param>
    /// <returns>The exception to throw; <paramref name="failure"/> is its inner exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="failure"/> is null.</exception>
    public static EntraException Map(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return MsalFailures.Map(failure);
    }
}
