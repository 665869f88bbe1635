using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>
/// The one place that knows the shapes of <c>conditionalAccess/evaluate</c> (graph/api/conditionalaccessroot-evaluate,
/// graph/api/resources/whatifanalysisresult). Points the documentation does not pin down, and how they are read:
/// <c>analysisReasons</c> as a comma-separated string (how Graph writes flags enums) or an array; no paging of the answer.
/// </summary>
internal static class WhatIfWire
{
    public static HttpContent Request(WhatIfSignIn signIn)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("signInIdentity");
            writer.WriteString("@odata.type", "#microsoft.graph.userSignIn");
            writer.WriteString("userId", signIn.UserId.Trim());
            writer.WriteEndObject();
            writer.WriteStartObject("signInContext");
            writer.WriteString("@odata.type", "#microsoft.graph.applicationContext");
            writer.WriteStartArray("includeApplications");
            writer.WriteStringValue(signIn.ApplicationId.Trim());
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartObject("signInConditions");
            writer.WriteString("ipAddress", signIn.IpAddress.ToString());
            if (signIn.Country is { } country)
            {
                writer.WriteString("country", country);
            }

            writer.WriteEndObject();

            // Every policy with its verdict: a policy that does not apply is as much a proof as one that does.
            writer.WriteBoolean("appliedPoliciesOnly", false);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public static ImmutableArray<string> Reasons(JsonElement reasons) => reasons.ValueKind switch
    {
        JsonValueKind.String => [.. reasons.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        JsonValueKind.Array => [.. reasons.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new JsonException("analysisReasons holds a non-string."))],
        JsonValueKind.Undefined or JsonValueKind.Null => [],
        _ => throw new JsonException("analysisReasons is neither a string nor an array."),
    };
}
