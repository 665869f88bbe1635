using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>A Conditional Access named location as Graph holds it.</summary>
/// <param name="Id">The location's id (a GUID).</param>
/// <param name="DisplayName">The name shown in the portal.</param>
/// <param name="CreatedDateTime">When it was created, if Graph said.</param>
/// <param name="ModifiedDateTime">When it was last changed, if Graph said.</param>
public abstract record NamedLocation(string Id, string DisplayName, DateTimeOffset? CreatedDateTime, DateTimeOffset? ModifiedDateTime);

/// <summary>An IP ranges location (<c>#microsoft.graph.ipNamedLocation</c>).</summary>
/// <param name="Id">The location's id (a GUID).</param>
/// <param name="DisplayName">The name shown in the portal.</param>
/// <param name="CreatedDateTime">When it was created, if Graph said.</param>
/// <param name="ModifiedDateTime">When it was last changed, if Graph said.</param>
/// <param name="IsTrusted">Whether the location is marked trusted.</param>
/// <param name="IpRanges">The ranges as Graph holds them, read leniently (host bits cleared), in Graph's order, duplicates kept.</param>
public sealed record IpNamedLocation(
    string Id,
    string DisplayName,
    DateTimeOffset? CreatedDateTime,
    DateTimeOffset? ModifiedDateTime,
    bool IsTrusted,
    ImmutableArray<Cidr> IpRanges)
    : NamedLocation(Id, DisplayName, CreatedDateTime, ModifiedDateTime)
{
    /// <summary>The addresses the location holds, as a set: compare it, never the list's text or order.</summary>
    /// <returns>The set.</returns>
    public CidrSet ToSet() => CidrSet.Create(IpRanges.AsSpan());
}

/// <summary>A countries location (<c>#microsoft.graph.countryNamedLocation</c>); it holds no IP ranges.</summary>
/// <param name="Id">The location's id (a GUID).</param>
/// <param name="DisplayName">The name shown in the portal.</param>
/// <param name="CreatedDateTime">When it was created, if Graph said.</param>
/// <param name="ModifiedDateTime">When it was last changed, if Graph said.</param>
/// <param name="CountriesAndRegions">ISO 3166-1 alpha-2 codes.</param>
/// <param name="IncludeUnknownCountriesAndRegions">Whether addresses without a known country are included.</param>
public sealed record CountryNamedLocation(
    string Id,
    string DisplayName,
    DateTimeOffset? CreatedDateTime,
    DateTimeOffset? ModifiedDateTime,
    ImmutableArray<string> CountriesAndRegions,
    bool IncludeUnknownCountriesAndRegions)
    : NamedLocation(Id, DisplayName, CreatedDateTime, ModifiedDateTime);
