namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>Answers with a callback that sees the request's cancellation token (MockHttp's own callbacks do not).</summary>
internal sealed class CallbackHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
}
