using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// A Graph client of the host's own that throws something other than an <see cref="EntraException"/>: the
/// caller still gets a typed error, and nothing pending is lost.
/// </summary>
public class GateUnexpectedClientErrorTests
{
    [Test]
    public async Task A_client_failing_unexpectedly_fails_the_waiting_call_with_a_typed_error_and_keeps_the_change()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new ScriptedClient { ThrowOnUpdate = new InvalidOperationException("boom") };
        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = ScriptedClient.Id, TimeProvider = time, AddressPolicy = GateTestBed.DocumentationPolicy }, client);
        await gate.StartAsync();
        var grant = gate.GrantAsync("alice", "203.0.113.7", time.GetUtcNow().AddDays(3650));
        var error = Assert.CatchAsync<EntraException>(() => grant)!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationUpdateFailed));
        Assert.That(error.InnerException, Is.InstanceOf<InvalidOperationException>());
        Assert.That(gate.GetState().LastError, Is.Not.Null);
        Assert.That(gate.GetState().Grants.Select(g => g.Id), Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public async Task A_client_failing_unexpectedly_on_a_read_fails_the_drift_check_with_a_typed_error()
    {
        var time = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var client = new ScriptedClient();
        await using var gate = NamedLocationGate.Create(new NamedLocationGateOptions { LocationId = ScriptedClient.Id, TimeProvider = time }, client);
        await gate.StartAsync();
        client.ThrowOnGet = new InvalidOperationException("boom");

        var error = Assert.CatchAsync<EntraException>(() => gate.CheckDriftAsync())!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationReadFailed));
    }
}
