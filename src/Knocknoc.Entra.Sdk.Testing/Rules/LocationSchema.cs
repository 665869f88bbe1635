using System.Text.Json;
using System.Text.Json.Nodes;

namespace Knocknoc.Entra.Sdk.Testing.Rules;

/// <summary>
/// The properties of the named location types and of their ranges, with their JSON types, as Graph's resource pages
/// define them. Graph reads a body against its type before it looks at any value: a property the type does not
/// define (names are case-sensitive) or a value of the wrong JSON type is refused, never ignored.
/// </summary>
internal static class LocationSchema
{
    public const string IpType = "#microsoft.graph.ipNamedLocation";
    public const string CountryType = "#microsoft.graph.countryNamedLocation";
    public const string IPv4RangeType = "#microsoft.graph.iPv4CidrRange";
    public const string IPv6RangeType = "#microsoft.graph.iPv6CidrRange";

    // Read-only properties (id and the dates) are accepted and ignored, as a client echoing a read would send them.
    private static readonly Dictionary<string, JsonValueKind> Common = new(StringComparer.Ordinal)
    {
        ["id"] = JsonValueKind.String,
        ["displayName"] = JsonValueKind.String,
        ["createdDateTime"] = JsonValueKind.String,
        ["modifiedDateTime"] = JsonValueKind.String,
    };

    private static readonly Dictionary<string, JsonValueKind> IpLocation = new(Common, StringComparer.Ordinal)
    {
        ["isTrusted"] = JsonValueKind.True,
        ["ipRanges"] = JsonValueKind.Array,
    };

    private static readonly Dictionary<string, JsonValueKind> CountryLocation = new(Common, StringComparer.Ordinal)
    {
        ["countriesAndRegions"] = JsonValueKind.Array,
        ["includeUnknownCountriesAndRegions"] = JsonValueKind.True,
        ["countryLookupMethod"] = JsonValueKind.String,
    };

    private static readonly Dictionary<string, JsonValueKind> Range = new(StringComparer.Ordinal)
    {
        ["cidrAddress"] = JsonValueKind.String,
    };

    /// <summary>Reads the <c>@odata.type</c> of a body or a range, or null when it is absent or not a string.</summary>
    /// <param name="json">The object.</param>
    /// <returns>The type.</returns>
    public static string? TypeOf(JsonNode? json) =>
        json?["@odata.type"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Checks a location body against its type: names, JSON types, and each range's names and JSON types.</summary>
    /// <param name="json">The body.</param>
    /// <param name="type">Its <c>@odata.type</c>, <see cref="IpType"/> or <see cref="CountryType"/>.</param>
    /// <returns>The rule broken and Graph's message, or null.</returns>
    public static (EmulatorRule Rule, string Message)? Check(JsonObject json, string type)
    {
        // The common mistake of this kind gets its own answer: ranges sent to a countries location.
        if (type == CountryType && json.ContainsKey("ipRanges"))
        {
            return (GraphRules.CountryRanges, "A countries location has no ipRanges.");
        }

        if (Check(json, type == IpType ? IpLocation : CountryLocation, type) is { } broken)
        {
            return broken;
        }

        if (type == CountryType && json["countriesAndRegions"] is JsonArray countries && countries.Any(c => c?.GetValueKind() != JsonValueKind.String))
        {
            return (GraphRules.PropertyType, "Every entry of 'countriesAndRegions' must be a string (Collection(Edm.String)).");
        }

        if (type != IpType || json["ipRanges"] is not JsonArray ranges)
        {
            return null;
        }

        foreach (var range in ranges)
        {
            if (range is not JsonObject item)
            {
                return (GraphRules.IpRangesRequired, "Every entry of ipRanges must be an object with '@odata.type' and 'cidrAddress'.");
            }

            var rangeType = TypeOf(item);
            if (rangeType is not (IPv4RangeType or IPv6RangeType))
            {
                return (GraphRules.RangeType, "Every range needs its '@odata.type' (#microsoft.graph.iPv4CidrRange or #microsoft.graph.iPv6CidrRange).");
            }

            if (Check(item, Range, rangeType) is { } brokenRange)
            {
                return brokenRange;
            }

            if (item["cidrAddress"] is null)
            {
                return (GraphRules.RangeCidr, "Every range needs its 'cidrAddress'.");
            }
        }

        return null;
    }

    private static (EmulatorRule Rule, string Message)? Check(JsonObject json, Dictionary<string, JsonValueKind> properties, string type)
    {
        foreach (var (name, value) in json)
        {
            // Annotations (@odata.type, @odata.context, name@odata.type) are OData's, not the type's properties.
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (!properties.TryGetValue(name, out var kind))
            {
                return (GraphRules.UnknownProperty, $"The property '{name}' does not exist on type '{type.TrimStart('#')}'. Make sure to only use property names that are defined by the type.");
            }

            var actual = value?.GetValueKind() ?? JsonValueKind.Null;
            var matches = kind == JsonValueKind.True ? actual is JsonValueKind.True or JsonValueKind.False : actual == kind;
            if (!matches)
            {
                var expected = kind switch
                {
                    JsonValueKind.True => "Edm.Boolean",
                    JsonValueKind.Array => "a collection",
                    _ => "Edm.String",
                };
                return (GraphRules.PropertyType, $"Cannot convert the value of '{name}' ({actual}) to the expected type {expected}.");
            }
        }

        return null;
    }
}
