// A user's first program against the installed packages: a grant, a shared address, a refusal and a revocation on
// the emulator, printing what Entra holds. PackageInstallTests compares the output.
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Testing;

var emulator = new EntraEmulator();
var tenant = emulator.AddTenant();
var app = tenant.AddApplication();
var location = tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);

await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions
{
    LocationId = location.Id,
    NameGuard = LocationNameGuard.Prefix("knocknoc_"),
    Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret),
    Cloud = EntraEmulator.Cloud,
    Transport = emulator.CreateHandler(),
    AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges),
});

var until = TimeProvider.System.GetUtcNow().AddHours(8);
await gate.GrantAsync("alice", "203.0.113.7", until);
await gate.GrantAsync("bob", "203.0.113.7", until);
Console.WriteLine($"granted: {string.Join(", ", tenant.FindNamedLocation(location.Id)!.IpRanges)}");

try
{
    await gate.GrantAsync("carol", "10.0.0.5", until);
}
catch (EntraException refused)
{
    Console.WriteLine($"refused: {EntraErrorCatalog.Format(refused.Code)}");
}

await gate.RevokeAsync("alice");
await gate.RevokeAsync("bob");
Console.WriteLine($"revoked: {string.Join(", ", tenant.FindNamedLocation(location.Id)!.IpRanges)}");
