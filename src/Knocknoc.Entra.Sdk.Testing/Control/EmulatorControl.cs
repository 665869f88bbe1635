using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Knocknoc.Entra.Sdk.Testing.Control;

/// <summary>
/// The served emulator's control surface: a small JSON API under <see cref="EntraEmulatorServer.ControlPath"/> that
/// plays a bad day from outside the process (faults, settings, token expiry), adds what a test needs (applications,
/// locations, policies, a second writer's ranges) and reads the journal. Answered to loopback peers only; never
/// journaled, never rate-limited: it is not Graph.
/// </summary>
internal sealed class EmulatorControl(EntraEmulator emulator)
{
    private readonly ControlSettings _startSettings = ControlSettings.Read(emulator.Options);

    public (HttpStatusCode Status, string? Json) Handle(string method, string path, string? body)
    {
        var segments = path.Trim('/').Split('/').Skip(1).Select(Uri.UnescapeDataString).ToArray();
        try
        {
            return (method, segments) switch
            {
                ("GET", ["state"]) => (HttpStatusCode.OK, ControlJson.State(emulator)),
                ("GET", ["journal"]) => (HttpStatusCode.OK, ControlJson.Journal(emulator.Journal)),
                ("GET", ["settings"]) => (HttpStatusCode.OK, ControlSettings.Read(emulator.Options).ToJson()),
                ("PATCH", ["settings"]) => PatchSettings(Body(body)),
                ("POST", ["faults"]) => AddFault(Body(body)),
                ("POST", ["tokens", "expire"]) => Done(emulator.ExpireTokens),
                ("POST", ["reset"]) => Done(Reset),
                ("POST", ["tenants", var tenantId, "applications"]) => AddApplication(Tenant(tenantId), Body(body)),
                ("PATCH", ["tenants", var tenantId, "applications", var clientId]) => PatchApplication(Tenant(tenantId), clientId, Body(body)),
                ("POST", ["tenants", var tenantId, "locations"]) => AddLocation(Tenant(tenantId), Body(body)),
                ("PUT", ["tenants", var tenantId, "locations", var id, "ipRanges"]) => SetRanges(Tenant(tenantId), id, body),
                ("POST", ["tenants", var tenantId, "policies"]) => AddPolicy(Tenant(tenantId), Body(body)),
                ("DELETE", ["tenants", var tenantId, "policies", var id]) => Tenant(tenantId).RemovePolicy(id) ? (HttpStatusCode.NoContent, null) : Refuse(HttpStatusCode.NotFound, $"No policy '{id}'."),
                _ => Refuse(HttpStatusCode.NotFound, $"No control '{method} {path}'. See docs/testing.md, \"The control surface\"."),
            };
        }
        catch (ControlException refusal)
        {
            return Refuse(refusal.Status, refusal.Message);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            return Refuse(HttpStatusCode.BadRequest, error.Message);
        }
    }

    private static (HttpStatusCode, string?) Done(Action action)
    {
        action();
        return (HttpStatusCode.NoContent, null);
    }

    private static (HttpStatusCode, string?) Refuse(HttpStatusCode status, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["code"] = status.ToString(), ["message"] = message } }.ToJsonString());

    private static JsonObject Body(string? body) =>
        JsonNode.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body) as JsonObject ?? throw new ControlException("The body must be a JSON object.");

    private static T Enum<T>(JsonNode? value, T fallback)
        where T : struct, Enum =>
        value is null ? fallback
        : System.Enum.TryParse<T>(value.GetValue<string>().Replace(".", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) ? parsed
        : throw new ControlException($"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");

    private static string[]? Strings(JsonNode? value) => value?.AsArray().Select(v => v!.GetValue<string>()).ToArray();

    private EmulatedTenant Tenant(string tenantId) =>
        emulator.FindTenant(tenantId) ?? throw new ControlException($"No tenant '{tenantId}'.", HttpStatusCode.NotFound);

    private (HttpStatusCode, string?) PatchSettings(JsonObject json)
    {
        ControlSettings.Read(emulator.Options).With(json).ApplyTo(emulator.Options);
        return (HttpStatusCode.OK, ControlSettings.Read(emulator.Options).ToJson());
    }

    private (HttpStatusCode, string?) AddFault(JsonObject json)
    {
        var count = json["count"]?.GetValue<int>() ?? 1;
        if (count is < 1 or > 1000)
        {
            throw new ControlException("count is between 1 and 1000.");
        }

        emulator.FailNext(Enum(json["fault"] ?? throw new ControlException("fault is required."), EmulatedFault.InternalServerError), count);
        return (HttpStatusCode.NoContent, null);
    }

    private static (HttpStatusCode, string?) AddApplication(EmulatedTenant tenant, JsonObject json)
    {
        var application = tenant.AddApplication(Permissions(json["permissions"]) ?? GraphPermissions.All);
        application.SecretExpired = json["secretExpired"]?.GetValue<bool>() ?? false;
        return (HttpStatusCode.Created, ControlJson.Application(application, withSecret: true));
    }

    private static (HttpStatusCode, string?) PatchApplication(EmulatedTenant tenant, string clientId, JsonObject json)
    {
        var application = tenant.FindApplication(clientId) ?? throw new ControlException($"No application '{clientId}'.", HttpStatusCode.NotFound);
        application.Permissions = Permissions(json["permissions"]) ?? application.Permissions;
        application.SecretExpired = json["secretExpired"]?.GetValue<bool>() ?? application.SecretExpired;
        return (HttpStatusCode.OK, ControlJson.Application(application, withSecret: false));
    }

    private static GraphPermissions? Permissions(JsonNode? value) =>
        Strings(value)?.Aggregate(GraphPermissions.None, (all, name) => all | name switch
        {
            "Policy.Read.All" => GraphPermissions.PolicyReadAll,
            "Policy.ReadWrite.ConditionalAccess" => GraphPermissions.PolicyReadWriteConditionalAccess,
            _ => throw new ControlException($"'{name}' is not Policy.Read.All or Policy.ReadWrite.ConditionalAccess."),
        });

    private static (HttpStatusCode, string?) AddLocation(EmulatedTenant tenant, JsonObject json)
    {
        var name = json["displayName"]?.GetValue<string>() ?? throw new ControlException("displayName is required.");
        var location = Strings(json["countriesAndRegions"]) is { } countries
            ? tenant.AddCountryNamedLocation(name, countries)
            : tenant.AddIpNamedLocation(name, Strings(json["ipRanges"]) ?? throw new ControlException("ipRanges or countriesAndRegions is required."), json["isTrusted"]?.GetValue<bool>() ?? false);
        return (HttpStatusCode.Created, ControlJson.Location(location));
    }

    private static (HttpStatusCode, string?) SetRanges(EmulatedTenant tenant, string id, string? body)
    {
        tenant.SetIpRanges(id, Strings(JsonNode.Parse(body ?? "null")) ?? throw new ControlException("The body must be a JSON array of ranges."));
        return (HttpStatusCode.NoContent, null);
    }

    private static (HttpStatusCode, string?) AddPolicy(EmulatedTenant tenant, JsonObject json)
    {
        var policy = tenant.AddPolicy(
            json["displayName"]?.GetValue<string>() ?? throw new ControlException("displayName is required."),
            json["state"]?.GetValue<string>() ?? "enabled",
            Strings(json["includeLocations"]),
            Strings(json["excludeLocations"]),
            json["continuousAccessEvaluationMode"]?.GetValue<string>());
        return (HttpStatusCode.Created, new JsonObject { ["id"] = policy.Id, ["displayName"] = policy.DisplayName, ["state"] = policy.State }.ToJsonString());
    }

    /// <summary>Back to the start of the day: no fault queued, an empty journal, the settings the server started with.</summary>
    private void Reset()
    {
        emulator.ClearFaultsAndJournal();
        _startSettings.ApplyTo(emulator.Options);
    }

    private sealed class ControlException(string message, HttpStatusCode status = HttpStatusCode.BadRequest) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;
    }

    /// <summary>The settings the control surface reads and writes, in seconds as JSON carries them.</summary>
    private sealed record ControlSettings(double RateLimitSeconds, EmulatedRetryAfter RetryAfter, double ConsistencyWindowSeconds, bool ConsistencyReadsFlap, double TransientFailureRate, double ResponseDelaySeconds, bool ReadsNeedPolicyRead, bool WritesNeedPolicyRead)
    {
        public static ControlSettings Read(EntraEmulatorOptions o) =>
            new(o.RateLimitInterval.TotalSeconds, o.RetryAfter, o.ConsistencyWindow.TotalSeconds, o.ConsistencyReadsFlap, o.TransientFailureRate, o.ResponseDelay.TotalSeconds, o.ReadsNeedPolicyRead, o.WritesNeedPolicyRead);

        public ControlSettings With(JsonObject json)
        {
            if (json.Select(p => p.Key).FirstOrDefault(k => k is not ("rateLimitSeconds" or "retryAfter" or "consistencyWindowSeconds" or "consistencyReadsFlap" or "transientFailureRate" or "responseDelaySeconds" or "readsNeedPolicyRead" or "writesNeedPolicyRead")) is { } unknown)
            {
                throw new ControlException($"'{unknown}' is not a setting.");
            }

            var changed = this with
            {
                RateLimitSeconds = json["rateLimitSeconds"]?.GetValue<double>() ?? RateLimitSeconds,
                RetryAfter = Enum(json["retryAfter"], RetryAfter),
                ConsistencyWindowSeconds = json["consistencyWindowSeconds"]?.GetValue<double>() ?? ConsistencyWindowSeconds,
                ConsistencyReadsFlap = json["consistencyReadsFlap"]?.GetValue<bool>() ?? ConsistencyReadsFlap,
                TransientFailureRate = json["transientFailureRate"]?.GetValue<double>() ?? TransientFailureRate,
                ResponseDelaySeconds = json["responseDelaySeconds"]?.GetValue<double>() ?? ResponseDelaySeconds,
                ReadsNeedPolicyRead = json["readsNeedPolicyRead"]?.GetValue<bool>() ?? ReadsNeedPolicyRead,
                WritesNeedPolicyRead = json["writesNeedPolicyRead"]?.GetValue<bool>() ?? WritesNeedPolicyRead,
            };
            return changed is { RateLimitSeconds: >= 0 and <= 3600, ConsistencyWindowSeconds: >= 0 and <= 86400, TransientFailureRate: >= 0 and <= 1, ResponseDelaySeconds: >= 0 and <= 600 }
                ? changed
                : throw new ControlException("A setting is out of range (seconds 0 to 3600 for the rate limit, 86400 for the window, 600 for the delay; a rate 0 to 1).");
        }

        public void ApplyTo(EntraEmulatorOptions o)
        {
            o.RateLimitInterval = TimeSpan.FromSeconds(RateLimitSeconds);
            o.RetryAfter = RetryAfter;
            o.ConsistencyWindow = TimeSpan.FromSeconds(ConsistencyWindowSeconds);
            o.ConsistencyReadsFlap = ConsistencyReadsFlap;
            o.TransientFailureRate = TransientFailureRate;
            o.ResponseDelay = TimeSpan.FromSeconds(ResponseDelaySeconds);
            o.ReadsNeedPolicyRead = ReadsNeedPolicyRead;
            o.WritesNeedPolicyRead = WritesNeedPolicyRead;
        }

        public string ToJson() => new JsonObject
        {
            ["rateLimitSeconds"] = RateLimitSeconds,
            ["retryAfter"] = RetryAfter.ToString(),
            ["consistencyWindowSeconds"] = ConsistencyWindowSeconds,
            ["consistencyReadsFlap"] = ConsistencyReadsFlap,
            ["transientFailureRate"] = TransientFailureRate,
            ["responseDelaySeconds"] = ResponseDelaySeconds,
            ["readsNeedPolicyRead"] = ReadsNeedPolicyRead,
            ["writesNeedPolicyRead"] = WritesNeedPolicyRead,
        }.ToJsonString();
    }
}
