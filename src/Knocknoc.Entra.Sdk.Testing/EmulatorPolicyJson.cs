using System.Text.Json;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// A Conditional Access policy in Graph's full v1.0 shape: every property a real one carries, most of them null or
/// empty, so a client that reads policies meets the nulls it will meet in a tenant.
/// </summary>
internal static class EmulatorPolicyJson
{
    public static string Page(IEnumerable<EmulatedPolicy> policies, string context) => EmulatorJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteStartArray("value");
        foreach (var policy in policies)
        {
            Write(writer, policy);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void Write(Utf8JsonWriter writer, EmulatedPolicy policy)
    {
        writer.WriteStartObject();
        writer.WriteString("id", policy.Id);
        writer.WriteNull("templateId");
        writer.WriteString("displayName", policy.DisplayName);
        writer.WriteString("createdDateTime", EmulatorJson.Timestamp(policy.CreatedDateTime));
        writer.WriteNull("modifiedDateTime");
        writer.WriteString("state", policy.State);
        writer.WriteNull("partialEnablementStrategy");

        writer.WriteStartObject("conditions");
        EmulatorJson.WriteStrings(writer, "userRiskLevels", []);
        EmulatorJson.WriteStrings(writer, "signInRiskLevels", []);
        EmulatorJson.WriteStrings(writer, "clientAppTypes", ["all"]);
        writer.WriteNull("platforms");
        writer.WriteNull("times");
        writer.WriteNull("deviceStates");
        writer.WriteNull("devices");
        writer.WriteNull("clientApplications");
        writer.WriteStartObject("applications");
        EmulatorJson.WriteStrings(writer, "includeApplications", ["All"]);
        EmulatorJson.WriteStrings(writer, "excludeApplications", []);
        EmulatorJson.WriteStrings(writer, "includeUserActions", []);
        EmulatorJson.WriteStrings(writer, "includeAuthenticationContextClassReferences", []);
        writer.WriteNull("applicationFilter");
        writer.WriteEndObject();
        writer.WriteStartObject("users");
        EmulatorJson.WriteStrings(writer, "includeUsers", ["All"]);
        foreach (var name in (string[])["excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles"])
        {
            EmulatorJson.WriteStrings(writer, name, []);
        }

        writer.WriteNull("includeGuestsOrExternalUsers");
        writer.WriteNull("excludeGuestsOrExternalUsers");
        writer.WriteEndObject();
        if (policy.IncludeLocations is null && policy.ExcludeLocations is null)
        {
            writer.WriteNull("locations");
        }
        else
        {
            writer.WriteStartObject("locations");
            EmulatorJson.WriteStrings(writer, "includeLocations", policy.IncludeLocations ?? []);
            EmulatorJson.WriteStrings(writer, "excludeLocations", policy.ExcludeLocations ?? []);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteStartObject("grantControls");
        writer.WriteString("operator", "OR");
        EmulatorJson.WriteStrings(writer, "builtInControls", ["block"]);
        EmulatorJson.WriteStrings(writer, "customAuthenticationFactors", []);
        EmulatorJson.WriteStrings(writer, "termsOfUse", []);
        writer.WriteNull("authenticationStrength");
        writer.WriteEndObject();

        if (policy.ContinuousAccessEvaluationMode is not { } mode)
        {
            writer.WriteNull("sessionControls");
        }
        else
        {
            writer.WriteStartObject("sessionControls");
            writer.WriteNull("disableResilienceDefaults");
            writer.WriteNull("applicationEnforcedRestrictions");
            writer.WriteNull("cloudAppSecurity");
            writer.WriteNull("persistentBrowser");
            writer.WriteNull("signInFrequency");
            writer.WriteStartObject("continuousAccessEvaluation");
            writer.WriteString("mode", mode);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
