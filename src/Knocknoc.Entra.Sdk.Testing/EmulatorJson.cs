using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>The emulator's answers, in the shapes Graph and the token endpoint use.</summary>
internal static class EmulatorJson
{
    public static HttpResponseMessage Respond(HttpStatusCode status, string? json, string? requestId = null, string? clientRequestId = null)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("request-id", requestId);
            response.Headers.TryAddWithoutValidation("client-request-id", clientRequestId ?? requestId);
        }

        return response;
    }

    public static string GraphError(string code, string message, DateTimeOffset now, string requestId, string? clientRequestId) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteStartObject("innerError");
        writer.WriteString("date", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        writer.WriteString("request-id", requestId);
        writer.WriteString("client-request-id", clientRequestId ?? requestId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static string TokenError(string error, int aadsts, string description, DateTimeOffset now, string traceId) => Write(writer =>
    {
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", $"AADSTS{aadsts}: {description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {traceId}\r\nTimestamp: {timestamp}");
        writer.WriteStartArray("error_codes");
        writer.WriteNumberValue(aadsts);
        writer.WriteEndArray();
        writer.WriteString("timestamp", timestamp);
        writer.WriteString("trace_id", traceId);
        writer.WriteString("correlation_id", traceId);
        writer.WriteEndObject();
    });

    public static string Token(string accessToken, TimeSpan lifetime) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("token_type", "Bearer");
        writer.WriteNumber("expires_in", (long)lifetime.TotalSeconds);
        writer.WriteNumber("ext_expires_in", (long)lifetime.TotalSeconds);
        writer.WriteString("access_token", accessToken);
        writer.WriteEndObject();
    });

    public static string Location(EmulatedNamedLocation location) => Write(writer => WriteLocation(writer, location));

    public static string LocationPage(IEnumerable<EmulatedNamedLocation> locations, string context, string? nextLink) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteStartArray("value");
        foreach (var location in locations)
        {
            WriteLocation(writer, location);
        }

        writer.WriteEndArray();
        if (nextLink is not null)
        {
            writer.WriteString("@odata.nextLink", nextLink);
        }

        writer.WriteEndObject();
    });

    public static string PolicyPage(IEnumerable<EmulatedPolicy> policies) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("value");
        foreach (var policy in policies)
        {
            writer.WriteStartObject();
            writer.WriteString("id", policy.Id);
            writer.WriteString("displayName", policy.DisplayName);
            writer.WriteString("state", policy.State);
            writer.WriteStartObject("conditions");
            if (policy.IncludeLocations is null && policy.ExcludeLocations is null)
            {
                writer.WriteNull("locations");
            }
            else
            {
                writer.WriteStartObject("locations");
                WriteStrings(writer, "includeLocations", policy.IncludeLocations ?? []);
                WriteStrings(writer, "excludeLocations", policy.ExcludeLocations ?? []);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "Z";

    private static void WriteLocation(Utf8JsonWriter writer, EmulatedNamedLocation location)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", location.IsCountryLocation ? "#microsoft.graph.countryNamedLocation" : "#microsoft.graph.ipNamedLocation");
        writer.WriteString("id", location.Id);
        writer.WriteString("displayName", location.DisplayName);
        writer.WriteString("createdDateTime", Timestamp(location.CreatedDateTime));
        writer.WriteString("modifiedDateTime", Timestamp(location.ModifiedDateTime));
        if (location.IsCountryLocation)
        {
            WriteStrings(writer, "countriesAndRegions", location.CountriesAndRegions);
            writer.WriteBoolean("includeUnknownCountriesAndRegions", false);
            writer.WriteString("countryLookupMethod", "clientIpAddress");
        }
        else
        {
            writer.WriteBoolean("isTrusted", location.IsTrusted);
            writer.WriteStartArray("ipRanges");
            foreach (var range in location.IpRanges)
            {
                writer.WriteStartObject();
                writer.WriteString("@odata.type", range.Contains(':', StringComparison.Ordinal) ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange");
                writer.WriteString("cidrAddress", range);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
