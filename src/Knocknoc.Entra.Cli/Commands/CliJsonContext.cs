using System.Text.Json.Serialization;
using Knocknoc.Entra.Cli.Emulator;
using Knocknoc.Entra.Cli.Locations;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// The types the commands print as JSON (through <see cref="Output.CliJson"/>), generated at compile time. It lives
/// with the commands whose results it names, so that output knows nothing of them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EmulatorFacts))]
[JsonSerializable(typeof(ShowReport))]
[JsonSerializable(typeof(ChangeReport))]
[JsonSerializable(typeof(SharedChangeReport))]
[JsonSerializable(typeof(List<DoctorCheck>))]
[JsonSerializable(typeof(List<LocationSummary>))]
[JsonSerializable(typeof(List<WhatIfRow>))]
[JsonSerializable(typeof(List<ExpiredAddress>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
