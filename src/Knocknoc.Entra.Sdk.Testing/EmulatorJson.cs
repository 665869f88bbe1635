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

    /// <summary>Entra's token error: the correlation id is the caller's <c>client-request-id</c> when it sent one, as Entra's is.</summary>
    public static string TokenError(string error, int aadsts, string description, DateTimeOffset now, string traceId, string correlationId, string errorUri) => Write(writer =>
    {
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", $"AADSTS{aadsts}: {description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}");
        writer.WriteStartArray("error_codes");
        writer.WriteNumberValue(aadsts);
        writer.WriteEndArray();
        writer.WriteString("timestamp", timestamp);
        writer.WriteString("trace_id", traceId);
        writer.WriteString("correlation_id", correlationId);
        writer.WriteString("error_uri", errorUri);
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

    public static string Location(EmulatedNamedLocation location, string context) => Write(writer => WriteLocation(writer, location, context));

    public static string LocationPage(IEnumerable<EmulatedNamedLocation> locations, string context, string? nextLink) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteStartArray("value");
        foreach (var location in locations)
        {
            WriteLocation(writer, location, null);
        }

        writer.WriteEndArray();
        if (nextLink is not null)
        {
            writer.WriteString("@odata.nextLink", nextLink);
        }

        writer.WriteEndObject();
    });

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "Z";

    private static void WriteLocation(Utf8JsonWriter writer, EmulatedNamedLocation location, string? context)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

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

    internal static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    internal static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
