using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>A gate behind a reverse proxy asks for Graph's own scope; the emulator, as Entra, grants it.</summary>
public class GateCustomScopeTests
{
    [Test]
    public async Task A_gate_whose_cloud_names_Graphs_own_scope_signs_in_and_writes()
    {
        await using var bed = new GateTestBed();
        var proxied = EntraCloud.Custom(EntraEmulator.Cloud.AuthorityHost, EntraEmulator.Cloud.GraphRoot, "https://graph.microsoft.com/.default");
        var gate = await bed.StartGateAsync(o => o.Cloud = proxied);

        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));

        Assert.That(bed.Entra, Is.EqualTo(new[] { "203.0.113.7/32" }));
        Assert.That(bed.Emulator.Journal.Where(e => !e.IsGraph).Select(e => e.Status), Is.All.EqualTo(200), "the token for Graph's own scope was granted");
    }

    [Test]
    public async Task A_scope_for_another_resource_is_refused_as_Entra_refuses_it()
    {
        await using var bed = new GateTestBed();
        var elsewhere = EntraCloud.Custom(EntraEmulator.Cloud.AuthorityHost, EntraEmulator.Cloud.GraphRoot, "https://vault.azure.net/.default");
        var gate = bed.CreateGate(o => o.Cloud = elsewhere);

        var error = Assert.ThrowsAsync<EntraException>(() => gate.StartAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.AuthenticationFailed));
        Assert.That(error.Message, Does.Contain("AADSTS500011").Or.Contain("invalid_resource"));
    }
}
