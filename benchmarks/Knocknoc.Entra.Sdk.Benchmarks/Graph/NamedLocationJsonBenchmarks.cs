using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Graph.Wire;

namespace Knocknoc.Entra.Sdk.Benchmarks.Graph;

/// <summary>
/// A full named location (Entra's cap of 2,000 ranges, 10% IPv6) written as a PATCH body and read from a GET body,
/// plus a whole GetIpAsync through the client's pipeline over a stub transport.
/// </summary>
[MemoryDiagnoser]
public class NamedLocationJsonBenchmarks
{
    private Cidr[] _ranges = [];
    private byte[] _getBody = [];
    private NamedLocationClient _client = null!;

    /// <summary>Ranges in the location.</summary>
    [Params(2_000)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _ranges = [.. Enumerable.Range(0, Ranges).Select(i => i % 10 == 9
            ? Cidr.Host(new IPAddress([0x20, 0x01, 0x0d, 0xb8, .. Enumerable.Range(0, 12).Select(_ => (byte)random.Next(256))]))
            : Cidr.Host(new IPAddress((uint)random.Next())))];
        var json = new StringBuilder("""{"@odata.type":"#microsoft.graph.ipNamedLocation","id":"0854951d-5fc0-4eb1-b392-9b2c9d7949c2","displayName":"Knocknoc Authenticated Users","createdDateTime":"2019-09-04T01:11:34.9387578Z","modifiedDateTime":"2026-11-22T03:00:00Z","isTrusted":true,"ipRanges":[""");
        for (var i = 0; i < _ranges.Length; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append("""{"@odata.type":"#microsoft.graph.""").Append(_ranges[i].IsIPv6 ? "iPv6" : "iPv4")
                .Append("CidrRange\",\"cidrAddress\":\"").Append(_ranges[i]).Append("\"}");
        }

        _getBody = Encoding.UTF8.GetBytes(json.Append("]}").ToString());
        _client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            TokenSource = new FixedToken(),
            Cloud = EntraCloud.Custom(new Uri("https://login.bench/"), new Uri("https://graph.bench/")),
            Transport = new StubTransport(_getBody),
            Resilience = { TenantRequestInterval = TimeSpan.Zero },
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    /// <summary>Write the PATCH body (into a pooled buffer) and release it.</summary>
    [Benchmark]
    public int WritePatchBody()
    {
        using var content = GraphRequestBodies.UpdateIpRanges(_ranges);
        return content.Body.Length;
    }

    /// <summary>Read a GET body of one location with every range.</summary>
    [Benchmark]
    public int ParseGetBody() =>
        JsonSerializer.Deserialize(_getBody, GraphJsonContext.Default.NamedLocationResource)!.IpRanges!.Value.Length;

    /// <summary>The whole client call: pipeline, stub transport, parse, mapping.</summary>
    [Benchmark]
    public async Task<int> GetIpThroughClient() => (await _client.GetIpAsync("0854951d-5fc0-4eb1-b392-9b2c9d7949c2")).IpRanges.Length;

    private sealed class FixedToken : IAccessTokenSource
    {
        public ValueTask<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new AccessToken("bench", DateTimeOffset.MaxValue));
    }

    private sealed class StubTransport(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } });
    }
}
