using System.Diagnostics;
using Azure.Core.Pipeline;
using Azure.Identity;
using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;

namespace Knocknoc.Entra.Sdk.GraphSdkTests;

/// <summary>
/// The Microsoft Graph SDK (Microsoft.Graph 5.92 with Azure.Identity 1.21), unmodified, against the loopback
/// emulator with Graph's default scope and the 1 request/s limit on. The emulator runs on a fake clock the test
/// moves one second before each request it makes, so the limit holds without the test waiting real seconds.
/// </summary>
public class GraphSdkAgainstEmulatorTests
{
    private const string GraphScope = "https://graph.microsoft.com/.default";

    [Test]
    public async Task The_Graph_SDK_runs_a_named_locations_life_against_the_emulator()
    {
        var wall = Stopwatch.StartNew();
        var time = new AutoAdvancingTimeProvider();
        var emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = time, Seed = 12 });
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication(GraphPermissions.All);
        tenant.AddIpNamedLocation("knocknoc_existing", ["192.0.2.0/32"]);
        tenant.AddCountryNamedLocation("knocknoc_nz", "NZ");
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = new HttpClient(server.CreateTrustingHandler());
        using var graph = Client(server, tenant.TenantId, app, transport);
        var steps = new List<string>();

        // 1. A token for Graph's default scope, through Azure.Identity and MSAL.
        var credential = Credential(server, tenant.TenantId, app, transport);
        var token = await credential.GetTokenAsync(new Azure.Core.TokenRequestContext([GraphScope]), CancellationToken.None);
        Assert.That(token.Token, Is.Not.Empty);
        steps.Add("token");

        // 2. Create an IP location (OdataType set: without it the SDK sends no @odata.type and Graph cannot tell the type).
        time.Advance(TimeSpan.FromSeconds(1));
        var created = await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            DisplayName = "knocknoc_graph_sdk",
            IsTrusted = true,
            IpRanges = [new IPv4CidrRange { CidrAddress = "203.0.113.0/24" }, new IPv6CidrRange { CidrAddress = "2001:db8::/48" }],
        });
        Assert.That(created, Is.InstanceOf<IpNamedLocation>());
        var id = created!.Id!;
        steps.Add("create");

        // 3. Get it back, ranges typed by their @odata.type.
        time.Advance(TimeSpan.FromSeconds(1));
        var read = (IpNamedLocation)(await graph.Identity.ConditionalAccess.NamedLocations[id].GetAsync())!;
        Assert.That(read.IpRanges!.Select(r => r.GetType()), Is.EqualTo(new[] { typeof(IPv4CidrRange), typeof(IPv6CidrRange) }));
        Assert.That(read.IsTrusted, Is.True);
        steps.Add("get");

        // 4. PATCH 53 ranges (OdataType set: without it the SDK omits @odata.type and Graph refuses), read them back.
        var ranges = Enumerable.Range(0, 53).Select(i => $"198.51.{i}.0/24").ToList();
        time.Advance(TimeSpan.FromSeconds(1));
        await graph.Identity.ConditionalAccess.NamedLocations[id].PatchAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            IpRanges = [.. ranges.Select(r => new IPv4CidrRange { CidrAddress = r })],
        });
        time.Advance(TimeSpan.FromSeconds(1));
        var patched = (IpNamedLocation)(await graph.Identity.ConditionalAccess.NamedLocations[id].GetAsync())!;
        Assert.That(patched.IpRanges!.OfType<IPv4CidrRange>().Select(r => r.CidrAddress), Is.EqualTo(ranges));
        steps.Add("patch 53 ranges");

        // 5. List IP locations one per page through PageIterator, across pages.
        time.Advance(TimeSpan.FromSeconds(1));
        var first = await graph.Identity.ConditionalAccess.NamedLocations.GetAsync(request =>
        {
            request.QueryParameters.Filter = "isof('microsoft.graph.ipNamedLocation')";
            request.QueryParameters.Top = 1;
        });
        var listed = new List<string>();
        var iterator = PageIterator<NamedLocation, NamedLocationCollectionResponse>.CreatePageIterator(graph, first!, location =>
        {
            listed.Add(location.DisplayName!);
            time.Advance(TimeSpan.FromSeconds(1)); // the next page is fetched after this item: one second later
            return true;
        });
        await iterator.IterateAsync();
        Assert.That(listed, Is.EqualTo(new[] { "knocknoc_existing", "knocknoc_graph_sdk" }));
        steps.Add("list pages");

        // 6. A missing id is a 404 ODataError.
        time.Advance(TimeSpan.FromSeconds(1));
        var missing = Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations["00000000-1111-2222-3333-444444444444"].GetAsync())!;
        Assert.That((missing.ResponseStatusCode, missing.Error?.Code), Is.EqualTo((404, "ResourceNotFound")));
        steps.Add("missing id");

        // 7. A /4 is a 400 ODataError, and nothing changes.
        time.Advance(TimeSpan.FromSeconds(1));
        var tooWide = Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations[id].PatchAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            IpRanges = [new IPv4CidrRange { CidrAddress = "16.0.0.0/4" }],
        }))!;
        Assert.That((tooWide.ResponseStatusCode, tooWide.Error?.Code), Is.EqualTo((400, "BadRequest")));
        Assert.That(tenant.FindNamedLocation(id)!.IpRanges, Has.Length.EqualTo(53));
        steps.Add("refused /4");

        // 8. List policies, with their nulls.
        tenant.AddPolicy("Block outside Knocknoc", "enabledForReportingButNotEnforced", ["All"], ["AllTrusted"]);
        time.Advance(TimeSpan.FromSeconds(1));
        var policies = await graph.Identity.ConditionalAccess.Policies.GetAsync();
        var policy = policies!.Value!.Single();
        Assert.That(policy.State, Is.EqualTo(ConditionalAccessPolicyState.EnabledForReportingButNotEnforced));
        Assert.That(policy.Conditions!.Locations!.ExcludeLocations, Is.EqualTo(new[] { "AllTrusted" }));
        Assert.That(policy.SessionControls, Is.Null);
        steps.Add("list policies");

        // 9. Untrust, then delete.
        time.Advance(TimeSpan.FromSeconds(1));
        await graph.Identity.ConditionalAccess.NamedLocations[id].PatchAsync(new IpNamedLocation { OdataType = "#microsoft.graph.ipNamedLocation", IsTrusted = false });
        time.Advance(TimeSpan.FromSeconds(1));
        await graph.Identity.ConditionalAccess.NamedLocations[id].DeleteAsync();
        Assert.That(tenant.FindNamedLocation(id), Is.Null);
        steps.Add("untrust and delete");

        Assert.That(steps, Has.Count.EqualTo(9));
        Assert.That(emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status), Has.None.EqualTo(429), "the limit was on and kept");
        TestContext.Out.WriteLine($"Graph SDK: {steps.Count} of 9 steps passed in {wall.Elapsed.TotalSeconds:0.00} s wall time, {emulator.Journal.Count(e => e.IsGraph)} Graph requests at 1 request/s emulated.");
    }

    [Test]
    public async Task Without_OdataType_the_Graph_SDKs_PATCH_carries_no_type_and_is_refused()
    {
        var (emulator, tenant, app) = NewTenant();
        var location = tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = new HttpClient(server.CreateTrustingHandler());
        using var graph = Client(server, tenant.TenantId, app, transport);

        var refused = Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations[location.Id].PatchAsync(new IpNamedLocation
        {
            IpRanges = [new IPv4CidrRange { CidrAddress = "203.0.113.7/32" }],
        }))!;

        Assert.That(refused.ResponseStatusCode, Is.EqualTo(400));
        Assert.That(emulator.Journal.Single(e => e.Method == "PATCH").RequestBody, Does.Not.Contain("#microsoft.graph.ipNamedLocation"));
        Assert.That(tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }

    [Test]
    public async Task Without_the_emulators_host_allowed_the_Graph_SDK_sends_no_token_and_gets_401()
    {
        var (emulator, tenant, app) = NewTenant();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = new HttpClient(server.CreateTrustingHandler());
        var credential = Credential(server, tenant.TenantId, app, transport);

        // GraphServiceClient(credential, scopes, baseUrl) allows only Microsoft's Graph hosts to receive the token.
        using var graph = new GraphServiceClient(GraphTransport(server), credential, [GraphScope], V1(server));
        var refused = Assert.ThrowsAsync<ODataError>(() => graph.Identity.ConditionalAccess.NamedLocations.GetAsync())!;

        Assert.That((refused.ResponseStatusCode, refused.Error?.Code), Is.EqualTo((401, "InvalidAuthenticationToken")));
        Assert.That(emulator.Journal.Where(e => !e.IsGraph), Is.Empty, "no token was even asked for");
    }

    [Test]
    public async Task Without_a_scope_the_Graph_SDK_asks_for_its_base_hosts_resource_and_Entra_refuses_it()
    {
        var (emulator, tenant, app) = NewTenant();
        await using var server = await EntraEmulatorServer.StartAsync(emulator);
        using var transport = new HttpClient(server.CreateTrustingHandler());
        var credential = Credential(server, tenant.TenantId, app, transport);
        using var graph = new GraphServiceClient(GraphTransport(server), new AzureIdentityAuthenticationProvider(credential, [server.BaseAddress.Host]), V1(server));

        Assert.ThrowsAsync<AuthenticationFailedException>(() => graph.Identity.ConditionalAccess.NamedLocations.GetAsync());

        var refusal = emulator.Journal.Single(e => !e.IsGraph);
        Assert.That(refusal.Status, Is.EqualTo(400));
        Assert.That(refusal.ResponseBody, Does.Contain("AADSTS500011").And.Contain("https://127.0.0.1 was not found"));
    }

    private static (EntraEmulator Emulator, EmulatedTenant Tenant, EmulatedApplication App) NewTenant()
    {
        var emulator = new EntraEmulator(new EntraEmulatorOptions { RateLimitInterval = TimeSpan.Zero });
        var tenant = emulator.AddTenant();
        return (emulator, tenant, tenant.AddApplication(GraphPermissions.All));
    }

    private static ClientSecretCredential Credential(EntraEmulatorServer server, string tenantId, EmulatedApplication app, HttpClient transport) =>
        new(tenantId, app.ClientId, app.ClientSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = server.BaseAddress,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(transport),
        });

    /// <summary>The Graph SDK as a user points it at another Graph: the emulator's host allowed to receive the token.</summary>
    private static GraphServiceClient Client(EntraEmulatorServer server, string tenantId, EmulatedApplication app, HttpClient identityTransport)
    {
        var credential = Credential(server, tenantId, app, identityTransport);
        IAuthenticationProvider authentication = new AzureIdentityAuthenticationProvider(credential, [server.BaseAddress.Host], scopes: [GraphScope]);
        return new GraphServiceClient(GraphTransport(server), authentication, V1(server));
    }

    /// <summary>The Graph SDK's own pipeline (retry, redirect, ...) over a handler that trusts the emulator's certificate.</summary>
    private static HttpClient GraphTransport(EntraEmulatorServer server) => GraphClientFactory.Create(finalHandler: server.CreateTrustingHandler());

    private static string V1(EntraEmulatorServer server) => new Uri(server.BaseAddress, "v1.0").AbsoluteUri;
}
