using System.Text.Json.Nodes;

namespace Knocknoc.Entra.Sdk.Testing.Control;

/// <summary>The control surface's answers. Secrets appear once, in the answer that created them, never in state.</summary>
internal static class ControlJson
{
    public static string State(EntraEmulator emulator) => new JsonObject
    {
        ["tenants"] = new JsonArray([.. emulator.Tenants.Select(tenant => (JsonNode)new JsonObject
        {
            ["tenantId"] = tenant.TenantId,
            ["applications"] = new JsonArray([.. tenant.Applications.Select(a => JsonNode.Parse(Application(a, withSecret: false)))]),
            ["locations"] = new JsonArray([.. tenant.NamedLocations.Select(l => JsonNode.Parse(Location(l)))]),
            ["policies"] = new JsonArray([.. tenant.Policies.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id,
                ["displayName"] = p.DisplayName,
                ["state"] = p.State,
                ["includeLocations"] = p.IncludeLocations is { } include ? new JsonArray([.. include.Select(i => (JsonNode)i)]) : null,
                ["excludeLocations"] = p.ExcludeLocations is { } exclude ? new JsonArray([.. exclude.Select(i => (JsonNode)i)]) : null,
            })]),
        })]),
    }.ToJsonString();

    public static string Application(EmulatedApplication application, bool withSecret)
    {
        var json = new JsonObject
        {
            ["clientId"] = application.ClientId,
            ["permissions"] = new JsonArray([.. PermissionNames(application.Permissions).Select(n => (JsonNode)n)]),
            ["secretExpired"] = application.SecretExpired,
        };
        if (withSecret)
        {
            json["clientSecret"] = application.ClientSecret;
        }

        return json.ToJsonString();
    }

    public static string Location(EmulatedNamedLocation location) => new JsonObject
    {
        ["id"] = location.Id,
        ["displayName"] = location.DisplayName,
        ["isTrusted"] = location.IsTrusted,
        ["ipRanges"] = new JsonArray([.. location.IpRanges.Select(r => (JsonNode)r)]),
        ["countriesAndRegions"] = new JsonArray([.. location.CountriesAndRegions.Select(c => (JsonNode)c)]),
        ["modifiedDateTime"] = EmulatorJson.Timestamp(location.ModifiedDateTime),
    }.ToJsonString();

    public static string Journal(IEnumerable<EmulatorJournalEntry> journal) =>
        new JsonArray([.. journal.Select(e => (JsonNode)new JsonObject
        {
            ["time"] = EmulatorJson.Timestamp(e.Time),
            ["method"] = e.Method,
            ["path"] = e.Path,
            ["status"] = e.Status,
            ["requestBody"] = e.RequestBody,
            ["responseBody"] = e.ResponseBody,
        })]).ToJsonString();

    private static IEnumerable<string> PermissionNames(GraphPermissions permissions)
    {
        if (permissions.HasFlag(GraphPermissions.PolicyReadAll))
        {
            yield return "Policy.Read.All";
        }

        if (permissions.HasFlag(GraphPermissions.PolicyReadWriteConditionalAccess))
        {
            yield return "Policy.ReadWrite.ConditionalAccess";
        }
    }
}
