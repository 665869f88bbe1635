using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

// The paths a trimmer could break: MSAL sign-in, source-generated JSON both ways, the DI registration with its
// options validation, the file store, the emulator's Kestrel-free handler. Exit 0 only if Entra ends as expected.
var emulator = new EntraEmulator();
var tenant = emulator.AddTenant();
var app = tenant.AddApplication();
var location = tenant.AddIpNamedLocation("knocknoc_smoke", ["192.0.2.0/32"]);
var store = Path.Combine(Path.GetTempPath(), $"knocknoc-smoke-{Guid.NewGuid():N}.txt");

var services = new ServiceCollection();
services.AddLogging();
services.AddNamedLocationGate(options =>
{
    options.LocationId = location.Id;
    options.NameGuard = LocationNameGuard.Prefix("knocknoc_");
    options.Credential = EntraCredential.ClientSecret(tenant.TenantId, app.ClientId, app.ClientSecret);
    options.Cloud = EntraEmulator.Cloud;
    options.Transport = emulator.CreateHandler();
    options.AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges);
    options.Store = new FileGrantStore(store);
});

string[] afterGrant, afterRevoke;
await using (var provider = services.BuildServiceProvider())
{
    var gate = provider.GetRequiredService<INamedLocationGate>();
    var until = TimeProvider.System.GetUtcNow().AddHours(1);
    await gate.GrantAsync("alice", "203.0.113.7", until);
    await gate.GrantAsync("bob", "2001:db8::7", until);
    afterGrant = [.. tenant.FindNamedLocation(location.Id)!.IpRanges];
    await gate.RevokeAsync("alice");
    afterRevoke = [.. tenant.FindNamedLocation(location.Id)!.IpRanges];
}

var reloaded = await new FileGrantStore(store).LoadAsync();
File.Delete(store);
var ok = afterGrant.Order().SequenceEqual(["2001:db8::7/128", "203.0.113.7/32"])
    && afterRevoke.SequenceEqual(["2001:db8::7/128"])
    && reloaded.Snapshot.Grants.Select(g => g.GrantId).SequenceEqual(["bob"]);
Console.WriteLine($"trimmed smoke: {(ok ? "ok" : "FAILED")} (after grant: {string.Join(", ", afterGrant)}; after revoke: {string.Join(", ", afterRevoke)})");
return ok ? 0 : 1;
