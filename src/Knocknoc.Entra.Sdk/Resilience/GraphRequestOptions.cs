namespace Knocknoc.Entra.Sdk;

/// <summary>Facts recorded on a request: by the pipeline for the client to read back, and by the sign-in client for the pipeline.</summary>
internal static class GraphRequestOptions
{
    /// <summary>Set when the request was sent more than once: a 404 to a retried DELETE means an earlier attempt worked.</summary>
    public static readonly HttpRequestOptionsKey<bool> WasRetried = new("Knocknoc.Entra.WasRetried");

    /// <summary>
    /// Set by the client on a call the directory throttles rather than Conditional Access (revokeSignInSessions): it
    /// takes no turn in the tenant's 1 request/s pacing, and its Retry-After holds back no Conditional Access call.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> OffPacing = new("Knocknoc.Entra.OffPacing");

    /// <summary>Set on a POST that changes nothing or may safely happen twice (evaluate, revokeSignInSessions): it is retried like a GET.</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToResend = new("Knocknoc.Entra.SafeToResend");

    /// <summary>Set by the sign-in client on MSAL's requests, which share a gate's transport but not its Graph pipeline.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsSignIn = new("Knocknoc.Entra.IsSignIn");
}
