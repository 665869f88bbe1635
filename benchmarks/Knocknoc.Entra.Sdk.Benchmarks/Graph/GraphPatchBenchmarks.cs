using System.Net;
using BenchmarkDotNet.Attributes;
using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk.Benchmarks.Graph;

/// <summary>
/// The Graph client's CPU per PATCH of 2,000 ranges through the SDK's own handlers (token, resilience pipeline with
/// pacing off), over a transport that reads the body and answers 204 without I/O: the request's cost on this side of
/// the wire.
/// </summary>
[MemoryDiagnoser]
public class GraphPatchBenchmarks
{
    private NamedLocationClient _client = null!;
    private Cidr[] _ranges = [];

    /// <summary>Ranges in the PATCH.</summary>
    [Params(2_000)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            TokenSource = new FixedToken(),
            Cloud = EntraCloud.Custom(new Uri("https://login.bench/"), new Uri("https://graph.bench/")),
            Resilience = new GraphResilienceOptions { TenantRequestInterval = TimeSpan.Zero },
            Transport = new NoContentTransport(),
        });
        var random = new Random(3);
        _ranges = [.. Enumerable.Range(0, Ranges).Select(_ => new Cidr(Gate.GateWriteBenchmarks.ScatteredPublicAddress(random), 32)).Distinct()];
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    /// <summary>One PATCH of the whole list.</summary>
    [Benchmark]
    public Task Patch() => _client.UpdateIpRangesAsync(Gate.NoWireClient.LocationId, _ranges);

    private sealed class FixedToken : IAccessTokenSource
    {
        private static readonly AccessToken Token = new("bench-token", DateTimeOffset.MaxValue);

        public ValueTask<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) => ValueTask.FromResult(Token);
    }

    private sealed class NoContentTransport : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request };
        }
    }
}
