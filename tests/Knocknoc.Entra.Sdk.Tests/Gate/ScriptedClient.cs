using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A Graph client of the host's own for gate tests: one IP location holding the sentinel, whose reads can be held
/// or made to throw, and whose writes can be made to throw; it never paces.
/// </summary>
internal sealed class ScriptedClient : INamedLocationClient
{
    public const string Id = "0854951d-5fc0-4eb1-b392-9b2c9d7949c2";

    public Exception? ThrowOnUpdate { get; set; }

    public Exception? ThrowOnGet { get; set; }

    public TaskCompletionSource? GetGate { get; set; }

    /// <summary>Set once a read has started (and, with <see cref="GetGate"/>, waits there).</summary>
    public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Updates;

    public Task<NamedLocation> GetAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async Task<IpNamedLocation> GetIpAsync(string id, CancellationToken cancellationToken = default)
    {
        Reading.TrySetResult();
        if (GetGate is { } g)
        {
            await g.Task.WaitAsync(cancellationToken);
        }

        if (ThrowOnGet is { } failure)
        {
            throw failure;
        }

        return new IpNamedLocation(Id, "knocknoc_x", null, null, false, [Cidr.Parse("192.0.2.0/32")]);
    }

    public Task<IReadOnlyList<NamedLocation>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IpNamedLocation> CreateIpAsync(string displayName, IReadOnlyCollection<Cidr> ipRanges, bool isTrusted = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task UpdateIpRangesAsync(string id, IReadOnlyCollection<Cidr> ipRanges, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Updates);
        return ThrowOnUpdate is { } e ? Task.FromException(e) : Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ConditionalAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
