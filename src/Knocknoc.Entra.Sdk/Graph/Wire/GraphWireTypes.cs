using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>Either kind of named location, flat, as Graph spells it; mapped to the public records after validation.</summary>
internal sealed class NamedLocationResource
{
    [JsonPropertyName("@odata.type")]
    public string? ODataType { get; set; }

    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    public DateTimeOffset? CreatedDateTime { get; set; }

    public DateTimeOffset? ModifiedDateTime { get; set; }

    public bool? IsTrusted { get; set; }

    [JsonConverter(typeof(IpRangeListConverter))]
    public ImmutableArray<Cidr>? IpRanges { get; set; }

    public ImmutableArray<string>? CountriesAndRegions { get; set; }

    public bool? IncludeUnknownCountriesAndRegions { get; set; }
}

/// <summary>One page of a Graph collection.</summary>
internal sealed class GraphPage<T>
{
    public List<T>? Value { get; set; }

    [JsonPropertyName("@odata.nextLink")]
    public string? NextLink { get; set; }
}

internal class PolicyResource
{
    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    public string? State { get; set; }

    public PolicyConditions? Conditions { get; set; }

    public PolicySessionControls? SessionControls { get; set; }
}

internal sealed class PolicySessionControls
{
    public ContinuousAccessEvaluationControl? ContinuousAccessEvaluation { get; set; }

    public SignInFrequencyResource? SignInFrequency { get; set; }
}

internal sealed class ContinuousAccessEvaluationControl
{
    public string? Mode { get; set; }
}

internal sealed class SignInFrequencyResource
{
    public bool? IsEnabled { get; set; }

    public int? Value { get; set; }

    public string? Type { get; set; }

    public string? FrequencyInterval { get; set; }
}

/// <summary>
/// A <c>whatIfAnalysisResult</c>: the policy's own properties plus the verdict. <c>analysisReasons</c> is a flags enum,
/// which Graph writes as one comma-separated string; an array is read too, as the shape is not shown in a sample.
/// </summary>
internal sealed class WhatIfResultResource : PolicyResource
{
    public bool? PolicyApplies { get; set; }

    public System.Text.Json.JsonElement AnalysisReasons { get; set; }
}

internal sealed class PolicyConditions
{
    public PolicyLocations? Locations { get; set; }
}

internal sealed class PolicyLocations
{
    public ImmutableArray<string>? IncludeLocations { get; set; }

    public ImmutableArray<string>? ExcludeLocations { get; set; }
}

internal sealed class GraphErrorEnvelope
{
    public GraphError? Error { get; set; }
}

internal sealed class GraphError
{
    public string? Code { get; set; }

    public string? Message { get; set; }

    public GraphInnerError? InnerError { get; set; }
}

internal sealed class GraphInnerError
{
    [JsonPropertyName("request-id")]
    public string? RequestId { get; set; }

    [JsonPropertyName("client-request-id")]
    public string? ClientRequestId { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NamedLocationResource))]
[JsonSerializable(typeof(GraphPage<NamedLocationResource>), TypeInfoPropertyName = "NamedLocationPage")]
[JsonSerializable(typeof(GraphPage<PolicyResource>), TypeInfoPropertyName = "PolicyPage")]
[JsonSerializable(typeof(GraphPage<WhatIfResultResource>), TypeInfoPropertyName = "WhatIfPage")]
[JsonSerializable(typeof(GraphErrorEnvelope))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
