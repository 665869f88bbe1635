namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>Facts recorded on a request: by the pipeline for the client to read back, and by the sign-in client for the pipeline.</summary>
internal static class GraphRequestOptions
{
    /// <summary>Set when the request was sent more than once: a 404 to a retried DELETE means an earlier attempt worked.</summary>
    public static readonly HttpRequestOptionsKey<bool> WasRetried = new("Knocknoc.Entra.WasRetried");

    /// <summary>Set by the sign-in client on MSAL's requests, which share a gate's transport but not its Graph pipeline.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsSignIn = new("Knocknoc.Entra.IsSignIn");
}
