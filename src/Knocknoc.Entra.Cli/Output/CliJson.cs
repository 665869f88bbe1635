using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// The tool's <c>--json</c> output: one JSON object on one line of standard output, camelCase, generated at
/// compile time (no reflection). A command's result type is added to the commands' <c>CliJsonContext</c>.
/// </summary>
/// <remarks>
/// Strings are plain: an apostrophe is <c>'</c>, not <c>\u0027</c>, and non-ASCII letters are themselves. The default
/// encoder escapes what HTML would misread, which matters only where JSON is pasted into a page; this output goes to
/// a script or a pipe, never into HTML, so the relaxed encoder is safe. Quotes, backslashes and control characters
/// are still escaped, so every line is valid JSON.
/// </remarks>
internal static class CliJson
{
    private static readonly JsonWriterOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="value"/> as one line of JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">Where to write (standard output).</param>
    /// <param name="value">The value.</param>
    /// <param name="type">Its type information from the commands' <c>CliJsonContext</c>.</param>
    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Serialize(value, type));
        writer.Flush();
    }

    /// <summary>Serializes <paramref name="value"/> as one line of plain JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="type">Its type information from the commands' <c>CliJsonContext</c>.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Plain))
        {
            JsonSerializer.Serialize(json, value, type);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
