#region snippet:readme-quick-start
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Testing;
#endregion

namespace Knocknoc.Entra.DocSnippets.Readme;

/// <summary>README's quick start: a gate without a host, on the emulator.</summary>
public static class QuickStart
{
    public static async Task RunAsync()
    {
        #region snippet:readme-quick-start
        var emulator = new EntraEmulator();                         // Entra's rules, 1 request/s per tenant
        var tenant = emulator.AddTenant();
        var app = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);

        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions
        {
            LocationId = location.Id,
            NameGuard = LocationNameGuard.Prefix("knocknoc_"),      // never touch a location without the prefix
            Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
            Cloud = EntraEmulator.Cloud,                            // drop these three lines for a real tenant
            Transport = emulator.CreateHandler(),
            AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges), // example addresses
        });

        var until = TimeProvider.System.GetUtcNow().AddHours(8);
        await gate.GrantAsync("alice", "203.0.113.7", until);       // returns once the address is in Entra
        await gate.GrantAsync("bob", "203.0.113.7", until);         // the same NAT address: nothing to write
        await gate.RevokeAsync("alice");                            // bob still holds it, so it stays
        Console.WriteLine(string.Join(", ", tenant.FindNamedLocation(location.Id)!.IpRanges));
        // 203.0.113.7/32
        #endregion
    }
}
