using System.Text.Json;
using Knocknoc.Entra.Sdk.Graph.Wire;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>The calls beyond named locations: ending a user's sessions, and What If as Entra's own proof.</summary>
public sealed partial class NamedLocationClient
{
    /// <inheritdoc/>
    public Task RevokeSignInSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var uri = new Uri(_users.AbsoluteUri + "/" + Uri.EscapeDataString(userId.Trim()) + "/revokeSignInSessions");
        return SendAsync(
            HttpMethod.Post,
            uri,
            content: null,
            GraphOperation.RevokeSignInSessions,
            static (_, _) => Task.FromResult(true),
            cancellationToken,
            static request =>
            {
                // Revoking twice revokes once; the directory, not Conditional Access, throttles it.
                request.Options.Set(GraphRequestOptions.SafeToResend, true);
                request.Options.Set(GraphRequestOptions.OffPacing, true);
            });
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<WhatIfPolicyResult>> EvaluateAsync(WhatIfSignIn signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentException.ThrowIfNullOrWhiteSpace(signIn.UserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(signIn.ApplicationId);
        ArgumentNullException.ThrowIfNull(signIn.IpAddress);
        return SendAsync(
            HttpMethod.Post,
            _evaluate,
            WhatIfWire.Request(signIn),
            GraphOperation.EvaluateWhatIf,
            static async (body, token) =>
            {
                var page = await JsonSerializer.DeserializeAsync(body, GraphJsonContext.Default.WhatIfPage, token).ConfigureAwait(false)
                    ?? throw new JsonException("The body is JSON null.");
                var results = new List<WhatIfPolicyResult>();
                foreach (var resource in page.Value ?? throw new JsonException("The answer has no value array."))
                {
                    var result = resource ?? throw new JsonException("The answer holds a null entry.");
                    results.Add(new WhatIfPolicyResult(ToModel(result), result.PolicyApplies ?? false, WhatIfWire.Reasons(result.AnalysisReasons)));
                }

                return (IReadOnlyList<WhatIfPolicyResult>)results;
            },
            cancellationToken,
            static request => request.Options.Set(GraphRequestOptions.SafeToResend, true));
    }

    private static void AskForEvolvableMembers(HttpRequestMessage request) =>
        request.Headers.TryAddWithoutValidation("Prefer", PolicySessionWire.IncludeUnknownEnumMembers);
}
