using Microsoft.Identity.Client;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>
/// Sends MSAL's token traffic through the same transport as Graph traffic, so one handler serves both, behind a
/// <see cref="TokenAnswerGuard"/> so a page answering in Entra's place is an ENTRA054, not whatever MSAL's parser throws.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lives as long as its cached MSAL application; the client does not own the transport, so there is nothing to release.")]
internal sealed class MsalHttpClientFactory(HttpMessageHandler transport) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = new(new TokenAnswerGuard(transport), disposeHandler: false);

    public HttpClient GetHttpClient() => _client;
}
