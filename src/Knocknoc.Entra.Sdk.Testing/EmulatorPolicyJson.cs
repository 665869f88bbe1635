using System.Text.Json;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// A Conditional Access policy in Graph's full v1.0 shape: every property a real one carries, most of them null or
/// empty, so a client that reads policies meets the nulls it will meet in a tenant.
/// </summary>
internal static class EmulatorPolicyJson
{
    /// <summary>The value an evolvable enum member takes for a client that did not ask for such members.</summary>
    private const string UnknownFutureValue = "unknownFutureValue";

    /// <summary>The CAE modes added after the enum was first published: seen only with <c>Prefer: include-unknown-enum-members</c>.</summary>
    private static readonly string[] EvolvableModes = ["strictLocation"];

    public static string Page(IEnumerable<EmulatedPolicy> policies, string context, bool includeUnknownEnumMembers) => EmulatorJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteStartArray("value");
        foreach (var policy in policies)
        {
            writer.WriteStartObject();
            Write(writer, policy, includeUnknownEnumMembers);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>What If's answer: each policy in full, with its verdict (graph/api/resources/whatifanalysisresult).</summary>
    public static string WhatIf(IEnumerable<(EmulatedPolicy Policy, bool Applies, string Reasons)> results, string context, bool includeUnknownEnumMembers) => EmulatorJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteStartArray("value");
        foreach (var (policy, applies, reasons) in results)
        {
            writer.WriteStartObject();
            Write(writer, policy, includeUnknownEnumMembers);
            writer.WriteBoolean("policyApplies", applies);
            writer.WriteString("analysisReasons", reasons);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>Writes the policy's properties into the object already started.</summary>
    private static void Write(Utf8JsonWriter writer, EmulatedPolicy policy, bool includeUnknownEnumMembers)
    {
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

        if (policy.ContinuousAccessEvaluationMode is null && policy.SignInFrequencyHours is null && !policy.SignInEveryTime)
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
            WriteSignInFrequency(writer, policy);
            if (policy.ContinuousAccessEvaluationMode is { } mode)
            {
                writer.WriteStartObject("continuousAccessEvaluation");
                writer.WriteString("mode", includeUnknownEnumMembers || !EvolvableModes.Contains(mode) ? mode : UnknownFutureValue);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("continuousAccessEvaluation");
            }

            writer.WriteEndObject();
        }
    }

    private static void WriteSignInFrequency(Utf8JsonWriter writer, EmulatedPolicy policy)
    {
        if (!policy.SignInEveryTime && policy.SignInFrequencyHours is not { } hours)
        {
            writer.WriteNull("signInFrequency");
            return;
        }

        writer.WriteStartObject("signInFrequency");
        if (policy.SignInEveryTime)
        {
            writer.WriteNull("value");
            writer.WriteNull("type");
            writer.WriteString("frequencyInterval", "everyTime");
        }
        else
        {
            writer.WriteNumber("value", policy.SignInFrequencyHours!.Value);
            writer.WriteString("type", "hours");
            writer.WriteString("frequencyInterval", "timeBased");
        }

        writer.WriteString("authenticationType", "primaryAndSecondaryAuthentication");
        writer.WriteBoolean("isEnabled", true);
        writer.WriteEndObject();
    }
}
