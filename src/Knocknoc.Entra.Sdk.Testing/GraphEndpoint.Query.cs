using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Knocknoc.Entra.Sdk.Testing.Rules;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>Query options ($select, $filter, $top, $skiptoken), the list and its pages, and the ranges of a body.</summary>
internal static partial class GraphEndpoint
{
    private sealed partial class Call
    {
        private GraphAnswer List(EmulatedTenant tenant, QueryOptions query)
        {
            var all = tenant.VisibleLocations(_now, _options.ConsistencyWindow).Where(query.Filter).ToList();
            var top = Math.Min(query.Top ?? _options.PageSize, _options.PageSize);
            var page = all.Skip(query.Skip).Take(top);
            string? next = null;
            if ((long)query.Skip + top < all.Count)
            {
                var kept = string.Join('&', query.Raw.Where(q => q.Key != "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}").Append($"$skiptoken={query.Skip + top}"));
                next = $"{_origin}{LocationsPath}?{kept}";
            }

            return new(HttpStatusCode.OK, EmulatorJson.LocationPage(page, Context("identity/conditionalAccess/namedLocations"), next));
        }

        private bool TryReadQuery(out QueryOptions query, out GraphAnswer refusal)
        {
            var raw = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in request.RequestUri!.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                raw[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }

            query = new QueryOptions(raw, raw.GetValueOrDefault("$select"), _ => true, null, 0);
            refusal = default;
            if (raw.Keys.FirstOrDefault(k => k is not ("$select" or "$filter" or "$top" or "$skiptoken")) is { } unsupported)
            {
                refusal = BadRequest(GraphRules.QueryOption, $"Query option '{unsupported}' is not supported.");
                return false;
            }

            if (raw.TryGetValue("$top", out var topText))
            {
                if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top < 1)
                {
                    refusal = BadRequest(GraphRules.Top, $"Invalid value '{topText}' for query option $top: a positive whole number is expected.");
                    return false;
                }

                query = query with { Top = top };
            }

            if (raw.TryGetValue("$skiptoken", out var skipText))
            {
                if (!int.TryParse(skipText, NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
                {
                    refusal = BadRequest(GraphRules.SkipToken, $"'{skipText}' is not a valid $skiptoken.");
                    return false;
                }

                query = query with { Skip = skip };
            }

            if (raw.TryGetValue("$filter", out var filter))
            {
                if (LocationFilter.Parse(filter) is not { } predicate)
                {
                    refusal = BadRequest(GraphRules.Filter, $"The emulator supports $filter with isof('microsoft.graph.ipNamedLocation' or 'microsoft.graph.countryNamedLocation'), displayName eq '...' and startswith(displayName,'...') joined by 'and', not '{filter}'.");
                    return false;
                }

                query = query with { Filter = predicate };
            }

            return true;
        }

        /// <summary>Reads ipRanges (already checked against the schema): non-empty, bounded, each a strict CIDR of its family, longer than the limit.</summary>
        private bool TryReadRanges(JsonObject json, out ImmutableArray<string> ranges, out GraphAnswer refusal)
        {
            ranges = [];
            refusal = default;
            if (json["ipRanges"] is not JsonArray array || array.Count == 0)
            {
                refusal = BadRequest(GraphRules.IpRangesRequired, "ipRanges is required and must hold at least one range.");
                return false;
            }

            if (array.Count > _options.MaxIpRanges)
            {
                refusal = BadRequest(GraphRules.IpRangesLimit, $"A named location holds at most {_options.MaxIpRanges} IP ranges; {array.Count} were sent.");
                return false;
            }

            var accepted = ImmutableArray.CreateBuilder<string>(array.Count);
            foreach (var item in array)
            {
                var rangeType = LocationSchema.TypeOf(item);
                var text = item!["cidrAddress"]!.GetValue<string>();
                var fault = StrictCidr.Read(text, out var isIPv6, out var prefixLength);
                if (fault != StrictCidr.Fault.None)
                {
                    refusal = fault == StrictCidr.Fault.LooseText
                        ? BadRequest(GraphRules.RangeText, $"'{text}' is not a valid CIDR: write it without spaces, leading zeros or a zone id.")
                        : BadRequest(GraphRules.RangeCidr, $"'{text}' is not a valid CIDR (an address alone needs /32 or /128).");
                    return false;
                }

                if (isIPv6 != (rangeType == LocationSchema.IPv6RangeType))
                {
                    refusal = BadRequest(GraphRules.RangeFamily, $"'{text}' does not match its '@odata.type' {rangeType}.");
                    return false;
                }

                if (prefixLength < _options.MinimumPrefixLength)
                {
                    refusal = BadRequest(GraphRules.RangePrefix, $"'{text}' is too wide: only CIDR masks greater than /{_options.MinimumPrefixLength - 1} are allowed.");
                    return false;
                }

                accepted.Add(text);
            }

            ranges = accepted.MoveToImmutable();
            return true;
        }

        /// <summary>Keeps only the selected properties of a location or of each location of a page (and always its type and id).</summary>
        private static string Select(string json, string select)
        {
            var keep = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Append("@odata.type").Append("@odata.context").Append("@odata.nextLink").Append("id").ToHashSet(StringComparer.OrdinalIgnoreCase);
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
    }

    /// <summary>The query options of one request.</summary>
    private sealed record QueryOptions(Dictionary<string, string> Raw, string? Select, Func<EmulatedNamedLocation, bool> Filter, int? Top, int Skip);

    /// <summary>The $filter expressions the emulator serves: OData's isof, eq and startswith on displayName, joined by and.</summary>
    private static partial class LocationFilter
    {
        public static Func<EmulatedNamedLocation, bool>? Parse(string filter)
        {
            var clauses = new List<Func<EmulatedNamedLocation, bool>>();
            var position = 0;
            while (true)
            {
                var match = Clause().Match(filter, position);
                if (!match.Success)
                {
                    return null;
                }

                var value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
                clauses.Add(match.Groups["function"].Value switch
                {
                    "isof" => value switch
                    {
                        "microsoft.graph.ipNamedLocation" => l => !l.IsCountryLocation,
                        "microsoft.graph.countryNamedLocation" => l => l.IsCountryLocation,
                        _ => _ => false,
                    },
                    "startswith" => l => l.DisplayName.StartsWith(value, StringComparison.OrdinalIgnoreCase),
                    _ => l => string.Equals(l.DisplayName, value, StringComparison.OrdinalIgnoreCase),
                });
                position = match.Index + match.Length;
                if (position == filter.Length)
                {
                    return l => clauses.TrueForAll(c => c(l));
                }

                if (And().Match(filter, position) is not { Success: true } and)
                {
                    return null;
                }

                position = and.Index + and.Length;
            }
        }

        [GeneratedRegex(@"\G\s*(?:(?<function>isof)\(\s*'(?<value>microsoft\.graph\.(?:ipNamedLocation|countryNamedLocation))'\s*\)|(?<function>startswith)\(\s*displayName\s*,\s*'(?<value>(?:[^']|'')*)'\s*\)|displayName\s+(?<function>eq)\s+'(?<value>(?:[^']|'')*)')\s*", RegexOptions.CultureInvariant)]
        private static partial Regex Clause();

        [GeneratedRegex(@"\Gand\s", RegexOptions.CultureInvariant)]
        private static partial Regex And();
    }
}
