using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// The tool's <c>--json</c> output: one JSON object on one line of standard output, camelCase, generated at
/// compile time (no reflection). A command's result type is added to the commands' <c>CliJsonContext</c>.
/// </summary>
internal static class CliJson
{
    /// <summary>Writes <paramref name="value"/> as one line of JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">Where to write (standard output).</param>
    /// <param name="value">The value.</param>
    /// <param name="type">Its type information from the commands' <c>CliJsonContext</c>.</param>
    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, type));
        writer.Flush();
    }
}
