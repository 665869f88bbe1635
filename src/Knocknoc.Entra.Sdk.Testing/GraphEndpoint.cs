using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// Graph v1.0 Conditional Access named locations and policies. In order: the token, the tenant's rate limit, any
/// fault asked for, the permission, then the call itself with Entra's validation rules.
/// </summary>
internal static class GraphEndpoint
{
    private const string LocationsPath = "/v1.0/identity/conditionalAccess/namedLocations";
    private const string PoliciesPath = "/v1.0/identity/conditionalAccess/policies";
    private const string IpType = "#microsoft.graph.ipNamedLocation";
    private const string CountryType = "#microsoft.graph.countryNamedLocation";

    public static async Task<HttpResponseMessage> HandleAsync(EntraEmulator emulator, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (emulator.Options.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(emulator.Options.ResponseDelay, emulator.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        var call = new Call(emulator, request, body);
        HttpStatusCode status;
        string? json;
        TimeSpan? retryAfter;
        try
        {
            (status, json, retryAfter) = call.Answer();
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            // A request the emulator did not foresee is still answered as Graph would: never an exception to the client.
            (status, json, retryAfter) = (HttpStatusCode.InternalServerError, call.InternalError(exception), null);
        }

        if (status == 0 || call.Fault == EmulatedFault.ResponseLost)
        {
            emulator.Record(call.Entry(0, null));
            throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The emulator dropped the connection (EmulatedFault.{call.Fault}).");
        }

        if (call.Fault == EmulatedFault.CaptivePortalPage)
        {
            const string Page = "<html><head><title>Sign in</title></head><body>Welcome to the hotel Wi-Fi.</body></html>";
            emulator.Record(call.Entry(200, Page));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Page, Encoding.UTF8, "text/html") };
        }

        var sent = call.Fault == EmulatedFault.TruncatedJson && json is not null ? json[..(json.Length / 2)] : json;
        emulator.Record(call.Entry((int)status, sent));
        var response = EmulatorJson.Respond(status, sent, call.RequestId, call.ClientRequestId);
        if (retryAfter is { } wait)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (status == HttpStatusCode.Unauthorized)
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
        }

        return response;
    }

    private sealed class Call(EntraEmulator emulator, HttpRequestMessage request, string? body)
    {
        private readonly DateTimeOffset _now = emulator.Now();
        private readonly EntraEmulatorOptions _options = emulator.Options;
        private readonly string _path = request.RequestUri!.AbsolutePath.TrimEnd('/');

        public string RequestId { get; } = emulator.NewId();

        public string? ClientRequestId { get; } = request.Headers.TryGetValues("client-request-id", out var ids) ? ids.FirstOrDefault() : null;

        public EmulatedFault? Fault { get; private set; }

        public string InternalError(Exception exception) =>
            Error("InternalServerError", $"The emulator could not handle this request: {exception.Message}");

        public EmulatorJournalEntry Entry(int status, string? json) =>
            new(_now, request.Method.Method, request.RequestUri!.PathAndQuery, body, status, json);

        public (HttpStatusCode Status, string? Json, TimeSpan? RetryAfter) Answer()
        {
            var token = Authenticate(out var failure);
            if (token is null)
            {
                return (HttpStatusCode.Unauthorized, failure, null);
            }

            var tenant = token.Tenant;
            lock (emulator.Gate)
            {
                var interval = _options.RateLimitInterval;
                var clock = _options.TimeProvider;
                var stamp = clock.GetTimestamp();
                if (interval > TimeSpan.Zero && tenant.LastAcceptedTimestamp is { } last && clock.GetElapsedTime(last, stamp) is var since && since < interval)
                {
                    return (HttpStatusCode.TooManyRequests, Error("TooManyRequests", "Please retry again later."), _options.SendRetryAfter ? interval - since : null);
                }

                tenant.LastAcceptedTimestamp = stamp;
            }

            Fault = emulator.TakeFault();
            if (Fault is null && _options.TransientFailureRate > 0 && emulator.NextDouble() < _options.TransientFailureRate)
            {
                Fault = EmulatedFault.ServiceUnavailable;
            }

            switch (Fault)
            {
                case EmulatedFault.InternalServerError:
                    return (HttpStatusCode.InternalServerError, Error("InternalServerError", "An internal server error occurred."), null);
                case EmulatedFault.ServiceUnavailable:
                    return (HttpStatusCode.ServiceUnavailable, Error("ServiceUnavailable", "The service is temporarily unavailable."), TimeSpan.FromSeconds(1));
                case EmulatedFault.GatewayTimeout:
                    return (HttpStatusCode.GatewayTimeout, null, null);
                case EmulatedFault.TooManyRequests:
                    return (HttpStatusCode.TooManyRequests, Error("TooManyRequests", "Please retry again later."), null);
                case EmulatedFault.ConnectionReset:
                    return (0, null, null);
                case EmulatedFault.CaptivePortalPage:
                    return (HttpStatusCode.OK, null, null);
                default:
                    break;
            }

            var writes = request.Method != HttpMethod.Get;
            var permissions = token.Application.Permissions;
            var allowed = writes
                ? permissions.HasFlag(GraphPermissions.PolicyReadWriteConditionalAccess) && (!_options.WritesNeedPolicyRead || permissions.HasFlag(GraphPermissions.PolicyReadAll))
                : _options.ReadsNeedPolicyRead ? permissions.HasFlag(GraphPermissions.PolicyReadAll) : permissions != GraphPermissions.None;
            if (!allowed)
            {
                return (HttpStatusCode.Forbidden, Error("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."), null);
            }

            lock (emulator.Gate)
            {
                return Route(tenant);
            }
        }

        private EntraEmulator.IssuedToken? Authenticate(out string? failure)
        {
            failure = null;
            var header = request.Headers.Authorization;
            var token = header is { Scheme: "Bearer", Parameter: { } value } ? emulator.FindToken(value) : null;
            if (token is null || token.Audience != request.RequestUri!.GetLeftPart(UriPartial.Authority) + "/")
            {
                failure = Error("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
                return null;
            }

            if (_now >= token.ExpiresOn)
            {
                failure = Error("InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
                return null;
            }

            return token;
        }

        private (HttpStatusCode, string?, TimeSpan?) Route(EmulatedTenant tenant)
        {
            var method = request.Method;
            var query = ParseQuery(request.RequestUri!.Query);
            if (query.Keys.FirstOrDefault(k => k is not ("$select" or "$filter" or "$top" or "$skiptoken")) is { } unsupported)
            {
                return BadRequest($"Query option '{unsupported}' is not supported.");
            }

            if (method == HttpMethod.Get && query.TryGetValue("$select", out var select))
            {
                var (status, json, retryAfter) = RouteUnselected(tenant, query);
                return (status, json is null || status != HttpStatusCode.OK ? json : Select(json, select), retryAfter);
            }

            return RouteUnselected(tenant, query);
        }

        /// <summary>Keeps only the selected properties of a location or of each location of a page (and always its type and id).</summary>
        private static string Select(string json, string select)
        {
            var keep = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Append("@odata.type").Append("id").ToHashSet(StringComparer.OrdinalIgnoreCase);
            var node = JsonNode.Parse(json)!.AsObject();
            var items = node["value"] is JsonArray page ? page.OfType<JsonObject>() : [node];
            foreach (var item in items)
            {
                foreach (var name in item.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
                {
                    item.Remove(name);
                }
            }

            return node.ToJsonString();
        }

        private (HttpStatusCode, string?, TimeSpan?) RouteUnselected(EmulatedTenant tenant, Dictionary<string, string> query)
        {
            var method = request.Method;
            if (_path == PoliciesPath && method == HttpMethod.Get)
            {
                return (HttpStatusCode.OK, EmulatorJson.PolicyPage(tenant.Policies), null);
            }

            if (_path == LocationsPath)
            {
                return method == HttpMethod.Get ? List(tenant, query)
                    : method == HttpMethod.Post ? Create(tenant)
                    : (HttpStatusCode.MethodNotAllowed, Error("BadRequest", "The method is not allowed on this resource."), null);
            }

            if (_path.StartsWith(LocationsPath + "/", StringComparison.Ordinal))
            {
                var id = Uri.UnescapeDataString(_path[(LocationsPath.Length + 1)..]);
                return method == HttpMethod.Get ? Get(tenant, id)
                    : method == HttpMethod.Patch ? Update(tenant, id)
                    : method == HttpMethod.Delete ? Delete(tenant, id)
                    : (HttpStatusCode.MethodNotAllowed, Error("BadRequest", "The method is not allowed on this resource."), null);
            }

            return (HttpStatusCode.BadRequest, Error("BadRequest", $"Resource not found for the segment '{_path}'."), null);
        }

        private (HttpStatusCode, string?, TimeSpan?) Get(EmulatedTenant tenant, string id) =>
            tenant.Visible(id, _now, _options.ConsistencyWindow) is { } location
                ? (HttpStatusCode.OK, EmulatorJson.Location(location), null)
                : NotFound(id);

        private (HttpStatusCode, string?, TimeSpan?) List(EmulatedTenant tenant, Dictionary<string, string> query)
        {
            IEnumerable<EmulatedNamedLocation> locations = tenant.VisibleLocations(_now, _options.ConsistencyWindow);
            if (query.TryGetValue("$filter", out var filter))
            {
                switch (filter)
                {
                    case "isof('microsoft.graph.ipNamedLocation')":
                        locations = locations.Where(l => !l.IsCountryLocation);
                        break;
                    case "isof('microsoft.graph.countryNamedLocation')":
                        locations = locations.Where(l => l.IsCountryLocation);
                        break;
                    default:
                        return BadRequest($"The emulator supports $filter=isof('microsoft.graph.ipNamedLocation') or countryNamedLocation, not '{filter}'.");
                }
            }

            var top = query.TryGetValue("$top", out var topText) && int.TryParse(topText, CultureInfo.InvariantCulture, out var t) && t > 0 ? Math.Min(t, _options.PageSize) : _options.PageSize;
            var skip = 0;
            if (query.TryGetValue("$skiptoken", out var skipText) && (!int.TryParse(skipText, CultureInfo.InvariantCulture, out skip) || skip < 0))
            {
                return BadRequest($"'{skipText}' is not a valid $skiptoken.");
            }

            var all = locations.ToList();
            var page = all.Skip(skip).Take(top);
            string? next = null;
            if ((long)skip + top < all.Count)
            {
                var origin = request.RequestUri!.GetLeftPart(UriPartial.Authority);
                var kept = string.Join('&', query.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}").Append($"$skiptoken={skip + top}"));
                next = $"{origin}{LocationsPath}?{kept}";
            }

            return (HttpStatusCode.OK, EmulatorJson.LocationPage(page, $"{request.RequestUri!.GetLeftPart(UriPartial.Authority)}/v1.0/$metadata#identity/conditionalAccess/namedLocations", next), null);
        }

        private (HttpStatusCode, string?, TimeSpan?) Create(EmulatedTenant tenant)
        {
            if (!TryReadBody(out var json, out var invalid))
            {
                return invalid;
            }

            var type = json["@odata.type"]?.GetValueKind() == JsonValueKind.String ? json["@odata.type"]!.GetValue<string>() : null;
            if (type is not (IpType or CountryType))
            {
                return BadRequest("The '@odata.type' of the named location is missing or unknown.");
            }

            var displayName = json["displayName"]?.GetValueKind() == JsonValueKind.String ? json["displayName"]!.GetValue<string>() : null;
            if (string.IsNullOrWhiteSpace(displayName))
            {
                return BadRequest("displayName is required.");
            }

            if (tenant.LocationCount >= _options.MaxNamedLocations)
            {
                return BadRequest($"The tenant already holds the maximum of {_options.MaxNamedLocations} named locations.");
            }

            ImmutableArray<string> ranges = [];
            ImmutableArray<string> countries = [];
            if (type == IpType)
            {
                if (!TryReadRanges(json, out ranges, out var rangeError))
                {
                    return BadRequest(rangeError);
                }
            }
            else
            {
                if (json["ipRanges"] is not null)
                {
                    return BadRequest("A countries location has no ipRanges.");
                }

                countries = json["countriesAndRegions"] is JsonArray array ? [.. array.Select(c => c?.ToString() ?? string.Empty)] : [];
            }

            var trusted = json["isTrusted"]?.GetValueKind() == JsonValueKind.True;
            var writtenAt = emulator.Now();
            var location = new EmulatedNamedLocation(emulator.NewId(), displayName, type == CountryType, trusted, ranges, countries, writtenAt, writtenAt);
            tenant.Write(location);
            return (HttpStatusCode.Created, EmulatorJson.Location(location), null);
        }

        private (HttpStatusCode, string?, TimeSpan?) Update(EmulatedTenant tenant, string id)
        {
            if (tenant.Current(id) is not { } current)
            {
                return NotFound(id);
            }

            if (!TryReadBody(out var json, out var invalid))
            {
                return invalid;
            }

            var type = json["@odata.type"]?.GetValueKind() == JsonValueKind.String ? json["@odata.type"]!.GetValue<string>() : null;
            if (type != (current.IsCountryLocation ? CountryType : IpType))
            {
                return BadRequest("The '@odata.type' is missing or does not match the named location's type.");
            }

            var updated = current with { ModifiedDateTime = emulator.Now() };
            if (json["ipRanges"] is not null)
            {
                if (current.IsCountryLocation)
                {
                    return BadRequest("A countries location has no ipRanges.");
                }

                if (!TryReadRanges(json, out var ranges, out var rangeError))
                {
                    return BadRequest(rangeError);
                }

                updated = updated with { IpRanges = ranges };
            }

            if (json["displayName"]?.GetValueKind() == JsonValueKind.String)
            {
                updated = updated with { DisplayName = json["displayName"]!.GetValue<string>() };
            }

            if (json["isTrusted"]?.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                updated = updated with { IsTrusted = json["isTrusted"]!.GetValueKind() == JsonValueKind.True };
            }

            tenant.Write(updated);
            return (HttpStatusCode.NoContent, null, null);
        }

        private (HttpStatusCode, string?, TimeSpan?) Delete(EmulatedTenant tenant, string id)
        {
            if (tenant.Current(id) is not { } current)
            {
                return NotFound(id);
            }

            if (current.IsTrusted)
            {
                return BadRequest("A trusted named location cannot be deleted; mark it untrusted first.");
            }

            tenant.Delete(id);
            return (HttpStatusCode.NoContent, null, null);
        }

        private bool TryReadRanges(JsonObject json, out ImmutableArray<string> ranges, out string error)
        {
            ranges = [];
            error = string.Empty;
            if (json["ipRanges"] is not JsonArray array || array.Count == 0)
            {
                error = "ipRanges is required and must hold at least one range.";
                return false;
            }

            if (array.Count > _options.MaxIpRanges)
            {
                error = $"A named location holds at most {_options.MaxIpRanges} IP ranges; {array.Count} were sent.";
                return false;
            }

            var accepted = ImmutableArray.CreateBuilder<string>(array.Count);
            foreach (var item in array)
            {
                if (item is not JsonObject)
                {
                    error = "Every entry of ipRanges must be an object with '@odata.type' and 'cidrAddress'.";
                    return false;
                }

                var rangeType = item?["@odata.type"]?.GetValueKind() == JsonValueKind.String ? item["@odata.type"]!.GetValue<string>() : null;
                var text = item?["cidrAddress"]?.GetValueKind() == JsonValueKind.String ? item["cidrAddress"]!.GetValue<string>() : null;
                if (rangeType is not ("#microsoft.graph.iPv4CidrRange" or "#microsoft.graph.iPv6CidrRange"))
                {
                    error = "Every range needs its '@odata.type' (#microsoft.graph.iPv4CidrRange or #microsoft.graph.iPv6CidrRange).";
                    return false;
                }

                // Graph keeps what was sent, host bits included, but refuses what is not a CIDR at all.
                if (text is null || !Cidr.TryParseLenient(text, out var cidr, out _))
                {
                    error = $"'{text}' is not a valid CIDR (an address alone needs /32 or /128).";
                    return false;
                }

                if (cidr.IsIPv6 != (rangeType == "#microsoft.graph.iPv6CidrRange"))
                {
                    error = $"'{text}' does not match its '@odata.type' {rangeType}.";
                    return false;
                }

                if (cidr.PrefixLength < _options.MinimumPrefixLength)
                {
                    error = $"'{text}' is too wide: only CIDR masks greater than /{_options.MinimumPrefixLength - 1} are allowed.";
                    return false;
                }

                accepted.Add(text);
            }

            ranges = accepted.MoveToImmutable();
            return true;
        }

        private bool TryReadBody(out JsonObject json, out (HttpStatusCode, string?, TimeSpan?) invalid)
        {
            json = [];
            invalid = default;
            try
            {
                if (JsonNode.Parse(body ?? string.Empty) is JsonObject parsed)
                {
                    json = parsed;
                    return true;
                }
            }
            catch (JsonException)
            {
            }

            invalid = BadRequest("The request body is not a JSON object.");
            return false;
        }

        private (HttpStatusCode, string?, TimeSpan?) NotFound(string id) =>
            (HttpStatusCode.NotFound, Error("ResourceNotFound", $"The named location '{id}' was not found."), null);

        private (HttpStatusCode, string?, TimeSpan?) BadRequest(string message) =>
            (HttpStatusCode.BadRequest, Error("BadRequest", message), null);

        private string Error(string code, string message) => EmulatorJson.GraphError(code, message, _now, RequestId, ClientRequestId);

        private static Dictionary<string, string> ParseQuery(string query)
        {
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                pairs[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }

            return pairs;
        }
    }
}
