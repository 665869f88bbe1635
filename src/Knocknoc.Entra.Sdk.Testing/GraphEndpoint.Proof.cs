using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Testing.Rules;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// The calls beyond named locations: <c>users/{id}/revokeSignInSessions</c> (journaled per user, off the Conditional
/// Access rate limit) and What If's <c>conditionalAccess/evaluate</c>, which decides the location condition and the
/// policy's state and answers <c>notEnoughInformation</c> for what it does not model.
/// </summary>
internal static partial class GraphEndpoint
{
    private const string EvaluatePath = "/v1.0/identity/conditionalAccess/evaluate";
    private const string UsersPath = "/v1.0/users/";
    private const string RevokeSuffix = "/revokeSignInSessions";
    private const string PreferUnknownMembers = "include-unknown-enum-members";

    private sealed partial class Call
    {
        /// <summary>Gets a value indicating whether the call is the directory's (throttled apart from Conditional Access).</summary>
        private bool IsDirectoryCall => _path.StartsWith(UsersPath, StringComparison.Ordinal);

        private bool AsksForEvolvableMembers =>
            request.Headers.TryGetValues("Prefer", out var prefer)
            && prefer.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)).Contains(PreferUnknownMembers, StringComparer.OrdinalIgnoreCase);

        private string? RevokedUser()
        {
            if (!IsDirectoryCall || !_path.EndsWith(RevokeSuffix, StringComparison.Ordinal))
            {
                return null;
            }

            var id = _path[UsersPath.Length..^RevokeSuffix.Length];
            return id.Length > 0 && !id.Contains('/', StringComparison.Ordinal) ? Uri.UnescapeDataString(id) : null;
        }

        private GraphAnswer RevokeSessions(EmulatedTenant tenant, string idOrName)
        {
            if (tenant.FindUser(idOrName) is not { } user)
            {
                return UserNotFound(idOrName);
            }

            tenant.RevokeSessions(user);
            return new(HttpStatusCode.OK, EmulatorJson.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("@odata.context", Context("Edm.Boolean"));
                writer.WriteBoolean("value", true);
                writer.WriteEndObject();
            }));
        }

        private GraphAnswer Evaluate(EmulatedTenant tenant)
        {
            if (!TryReadBody(out var json, out var refusal))
            {
                return refusal;
            }

            if (json["signInIdentity"] is not JsonObject identity || Text(identity, "@odata.type") != "#microsoft.graph.userSignIn" || Text(identity, "userId") is not { Length: > 0 } userId)
            {
                return BadRequest(GraphRules.EvaluateBody, "signInIdentity must be a #microsoft.graph.userSignIn with a userId.");
            }

            if (json["signInContext"] is not JsonObject context || Text(context, "@odata.type") != "#microsoft.graph.applicationContext" || context["includeApplications"] is not JsonArray { Count: > 0 })
            {
                return BadRequest(GraphRules.EvaluateBody, "signInContext must be a #microsoft.graph.applicationContext with includeApplications.");
            }

            if (json["signInConditions"] is not JsonObject conditions || !IPAddress.TryParse(Text(conditions, "ipAddress") ?? string.Empty, out var address))
            {
                return BadRequest(GraphRules.EvaluateBody, "signInConditions must carry a valid ipAddress.");
            }

            if (tenant.FindUser(userId) is null)
            {
                return UserNotFound(userId);
            }

            var appliedOnly = json["appliedPoliciesOnly"]?.GetValueKind() == JsonValueKind.True;
            var results = tenant.Policies
                .Select(policy => WhatIfEvaluation.Judge(policy, address, tenant.NamedLocations))
                .Where(result => !appliedOnly || result.Applies)
                .ToList();
            return new(HttpStatusCode.OK, EmulatorPolicyJson.WhatIf(results, Context("Collection(microsoft.graph.whatIfAnalysisResult)"), AsksForEvolvableMembers));
        }

        private static string? Text(JsonObject json, string name) =>
            json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

        private GraphAnswer UserNotFound(string idOrName) =>
            new(HttpStatusCode.NotFound, Error("Request_ResourceNotFound", $"Resource '{idOrName}' does not exist or one of its queried reference-property objects are not present."), Rule: GraphRules.UserNotFound);
    }
}
