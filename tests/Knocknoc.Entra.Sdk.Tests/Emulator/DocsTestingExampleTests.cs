using System.Net;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>docs/testing.md's example (snippet testing-own-agent): a user's own agent tested against the emulator.</summary>
public class DocsTestingExampleTests
{
    #region snippet:testing-own-agent
    // The user's code under test: adds one address to a location with one PATCH.
    public static async Task OpenDoorAsync(INamedLocationClient graph, string locationId, IPAddress address)
    {
        var location = await graph.GetIpAsync(locationId);
        var desired = location.ToSet().Union(CidrSet.Create(Cidr.Host(address)));
        if (!desired.SetEquals(location.ToSet()))
        {
            await graph.UpdateIpRangesAsync(locationId, desired.ToCidrs());
        }
    }

    [Test]
    public async Task The_agent_opens_the_door_even_on_a_bad_day()
    {
        var emulator = new EntraEmulator();                       // Entra's rules, 1 request/s per tenant
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication(GraphPermissions.All);
        var location = tenant.AddIpNamedLocation("knocknoc_office", ["192.0.2.0/32"]);
        emulator.FailNext(EmulatedFault.ServiceUnavailable);      // Graph has a bad moment

        using var graph = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
            Cloud = EntraEmulator.Cloud,
            Transport = emulator.CreateHandler(),
        });

        await OpenDoorAsync(graph, location.Id, IPAddress.Parse("203.0.113.7"));

        Assert.That(tenant.FindNamedLocation(location.Id)!.IpRanges, Is.EqualTo(new[] { "192.0.2.0/32", "203.0.113.7/32" }));
        Assert.That(emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH"), Is.EqualTo(1));
    }
    #endregion
}
