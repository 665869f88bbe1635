using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Knocknoc.Entra.Cli.Commands;
using Knocknoc.Entra.Cli.Emulator;
using Knocknoc.Entra.Cli.Locations;

namespace Knocknoc.Entra.Cli.Output;

/// <summary>
/// The tool's <c>--json</c> output: one JSON object on one line of standard output, camelCase, generated at
/// compile time (no reflection). A command's result type is added to <see cref="CliJsonContext"/>.
/// </summary>
internal static class CliJson
{
    /// <summary>Writes <paramref name="value"/> as one line of JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">Where to write (standard output).</param>
    /// <param name="value">The value.</param>
    /// <param name="type">Its type information from <see cref="CliJsonContext"/>.</param>
    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, type));
        writer.Flush();
    }
}

/// <summary>The types the tool prints as JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EmulatorFacts))]
[JsonSerializable(typeof(ShowReport))]
[JsonSerializable(typeof(ChangeReport))]
[JsonSerializable(typeof(List<DoctorCheck>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
