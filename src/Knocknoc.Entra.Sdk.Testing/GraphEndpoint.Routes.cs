using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.Testing.Rules;
using static Knocknoc.Entra.Sdk.Testing.Rules.LocationSchema;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>The resources: named locations (list, get, create, update, delete) and the policies list.</summary>
internal static partial class GraphEndpoint
{
    private const string LocationsPath = "/v1.0/identity/conditionalAccess/namedLocations";
    private const string PoliciesPath = "/v1.0/identity/conditionalAccess/policies";

    private sealed partial class Call
    {
        private string Context(string resource) => $"{_origin}/v1.0/$metadata#{resource}";

        private GraphAnswer Route(EmulatedTenant tenant)
        {
            var method = request.Method;
            if (!TryReadQuery(out var query, out var refusal))
            {
                return refusal;
            }

            if (_path == PoliciesPath)
            {
                return method == HttpMethod.Get
                    ? new(HttpStatusCode.OK, EmulatorPolicyJson.Page(tenant.Policies, Context("identity/conditionalAccess/policies"), AsksForEvolvableMembers))
                    : MethodNotAllowed();
            }

            if (_path == EvaluatePath)
            {
                return method == HttpMethod.Post ? Evaluate(tenant) : MethodNotAllowed();
            }

            if (RevokedUser() is { } user)
            {
                return method == HttpMethod.Post ? RevokeSessions(tenant, user) : MethodNotAllowed();
            }

            GraphAnswer answer;
            if (_path == LocationsPath)
            {
                answer = method == HttpMethod.Get ? List(tenant, query)
                    : method == HttpMethod.Post ? Create(tenant)
                    : MethodNotAllowed();
            }
            else if (LocationId() is { } id)
            {
                answer = method == HttpMethod.Get ? Get(tenant, id)
                    : method == HttpMethod.Patch ? Update(tenant, id)
                    : method == HttpMethod.Delete ? Delete(tenant, id)
                    : MethodNotAllowed();
            }
            else
            {
                return BadRequest(GraphRules.Segment, $"Resource not found for the segment '{_path}'.");
            }

            return method == HttpMethod.Get && answer.Status == HttpStatusCode.OK && query.Select is { } select && answer.Json is { } json
                ? answer with { Json = Select(json, select) }
                : answer;
        }

        /// <summary>The id of <c>namedLocations/{id}</c> or of OData's key syntax <c>namedLocations('{id}')</c>.</summary>
        private string? LocationId()
        {
            if (_path.StartsWith(LocationsPath + "/", StringComparison.Ordinal) && _path.IndexOf('/', LocationsPath.Length + 1) < 0)
            {
                return Uri.UnescapeDataString(_path[(LocationsPath.Length + 1)..]);
            }

            var key = Uri.UnescapeDataString(_path[Math.Min(_path.Length, LocationsPath.Length)..]);
            return _path.StartsWith(LocationsPath + "(", StringComparison.Ordinal) && key.StartsWith("('", StringComparison.Ordinal) && key.EndsWith("')", StringComparison.Ordinal) && key.Length > 4
                ? key[2..^2].Replace("''", "'", StringComparison.Ordinal)
                : null;
        }

        private GraphAnswer MethodNotAllowed() =>
            new(HttpStatusCode.MethodNotAllowed, Error("BadRequest", "The method is not allowed on this resource."), Rule: GraphRules.Method);

        private GraphAnswer Get(EmulatedTenant tenant, string id) =>
            tenant.Visible(id, _now, _options.ConsistencyWindow) is { } location
                ? new(HttpStatusCode.OK, EmulatorJson.Location(location, Context("identity/conditionalAccess/namedLocations/$entity")))
                : NotFound(id);

        private GraphAnswer Create(EmulatedTenant tenant)
        {
            if (!TryReadBody(out var json, out var refusal))
            {
                return refusal;
            }

            var type = TypeOf(json);
            if (type is not (IpType or CountryType))
            {
                return BadRequest(GraphRules.LocationType, "The '@odata.type' of the named location is missing or unknown.");
            }

            if (Check(json, type) is { } broken)
            {
                return BadRequest(broken.Rule, broken.Message);
            }

            var displayName = json["displayName"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(displayName))
            {
                return BadRequest(GraphRules.DisplayName, "displayName is required and cannot be empty.");
            }

            if (tenant.LocationCount >= _options.MaxNamedLocations)
            {
                return BadRequest(GraphRules.LocationLimit, $"The tenant already holds the maximum of {_options.MaxNamedLocations} named locations.");
            }

            ImmutableArray<string> ranges = [];
            ImmutableArray<string> countries = [];
            if (type == IpType)
            {
                if (!TryReadRanges(json, out ranges, out refusal))
                {
                    return refusal;
                }
            }
            else
            {
                countries = json["countriesAndRegions"] is JsonArray array ? [.. array.Select(c => c!.GetValue<string>())] : [];
            }

            var trusted = json["isTrusted"]?.GetValueKind() == JsonValueKind.True;
            var writtenAt = emulator.Now();
            var location = new EmulatedNamedLocation(emulator.NewId(), displayName, type == CountryType, trusted, ranges, countries, writtenAt, writtenAt);
            tenant.Write(location);
            return new(HttpStatusCode.Created, EmulatorJson.Location(location, Context("identity/conditionalAccess/namedLocations/$entity")));
        }

        private GraphAnswer Update(EmulatedTenant tenant, string id)
        {
            if (tenant.Current(id) is not { } current)
            {
                return NotFound(id);
            }

            if (!TryReadBody(out var json, out var refusal))
            {
                return refusal;
            }

            var type = TypeOf(json);
            if (type != (current.IsCountryLocation ? CountryType : IpType))
            {
                // A countries body for an IP location is a wrong type too: its properties would not exist on the location.
                return BadRequest(GraphRules.LocationType, "The '@odata.type' is missing or does not match the named location's type.");
            }

            if (Check(json, type) is { } broken)
            {
                return BadRequest(broken.Rule, broken.Message);
            }

            var updated = current with { ModifiedDateTime = emulator.Now() };
            if (json.ContainsKey("ipRanges"))
            {
                if (!TryReadRanges(json, out var ranges, out refusal))
                {
                    return refusal;
                }

                updated = updated with { IpRanges = ranges };
            }

            if (json.ContainsKey("displayName"))
            {
                var displayName = json["displayName"]!.GetValue<string>();
                if (string.IsNullOrWhiteSpace(displayName))
                {
                    return BadRequest(GraphRules.DisplayName, "displayName cannot be empty.");
                }

                updated = updated with { DisplayName = displayName };
            }

            if (json.ContainsKey("isTrusted"))
            {
                updated = updated with { IsTrusted = json["isTrusted"]!.GetValueKind() == JsonValueKind.True };
            }

            if (json["countriesAndRegions"] is JsonArray countries)
            {
                updated = updated with { CountriesAndRegions = [.. countries.Select(c => c!.GetValue<string>())] };
            }

            tenant.Write(updated);
            return new(HttpStatusCode.NoContent, null);
        }

        private GraphAnswer Delete(EmulatedTenant tenant, string id)
        {
            if (tenant.Current(id) is not { } current)
            {
                return NotFound(id);
            }

            if (current.IsTrusted)
            {
                return BadRequest(GraphRules.TrustedDelete, "A trusted named location cannot be deleted; mark it untrusted first.");
            }

            if (tenant.Policies.FirstOrDefault(p => (p.IncludeLocations ?? []).Contains(id) || (p.ExcludeLocations ?? []).Contains(id)) is { } policy)
            {
                return BadRequest(GraphRules.ReferencedDelete, $"The named location is referenced by the Conditional Access policy '{policy.Id}'; remove it from the policy first.");
            }

            tenant.Delete(id);
            return new(HttpStatusCode.NoContent, null);
        }

        /// <summary>Reads the body: one JSON object (no property twice), sent as JSON.</summary>
        private bool TryReadBody(out JsonObject json, out GraphAnswer refusal)
        {
            json = [];
            refusal = default;
            var contentType = request.Content?.Headers.ContentType;
            if (!string.Equals(contentType?.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                refusal = BadRequest(GraphRules.ContentType, $"The request's Content-Type must be application/json, not '{contentType?.ToString() ?? "none"}'.");
                return false;
            }

            try
            {
                if (JsonNode.Parse(body ?? string.Empty, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) is JsonObject parsed)
                {
                    json = parsed;
                    return true;
                }
            }
            catch (JsonException)
            {
            }

            refusal = BadRequest(GraphRules.Body, "The request body is not a JSON object.");
            return false;
        }
    }
}
