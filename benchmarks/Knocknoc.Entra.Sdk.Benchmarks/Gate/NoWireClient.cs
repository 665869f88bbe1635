using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Benchmarks.Gate;

/// <summary>A Graph client that answers at once without any I/O: what is left to measure is the gate's own work.</summary>
internal sealed class NoWireClient : INamedLocationClient
{
    public const string LocationId = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

    private ImmutableArray<Cidr> _ranges = [Cidr.Parse("192.0.2.0/32")];

    public int Writes { get; private set; }

    public Task<NamedLocation> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult<NamedLocation>(Location());

    public Task<IpNamedLocation> GetIpAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Location());

    public Task<IReadOnlyList<NamedLocation>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NamedLocation>>([Location()]);

    public Task<IpNamedLocation> CreateIpAsync(string displayName, IReadOnlyCollection<Cidr> ipRanges, bool isTrusted = false, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task UpdateIpRangesAsync(string id, IReadOnlyCollection<Cidr> ipRanges, CancellationToken cancellationToken = default)
    {
        _ranges = [.. ipRanges];
        Writes++;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ConditionalAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConditionalAccessPolicy>>([]);

    private IpNamedLocation Location() => new(LocationId, "knocknoc_bench", null, null, IsTrusted: false, _ranges);
}
