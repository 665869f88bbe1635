namespace Knocknoc.Entra.Sdk.Resilience;

/// <summary>Facts the pipeline records on a request for the client to read back.</summary>
internal static class GraphRequestOptions
{
    /// <summary>Set when the request was sent more than once: a 404 to a retried DELETE means an earlier attempt worked.</summary>
    public static readonly HttpRequestOptionsKey<bool> WasRetried = new("Knocknoc.Entra.WasRetried");
}
