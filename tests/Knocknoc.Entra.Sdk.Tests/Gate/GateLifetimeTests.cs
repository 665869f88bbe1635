using System.Net;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary><c>GrantAsync(id, address, TimeSpan lifetime)</c>: an expiry from the gate's own clock, and a default for other implementations.</summary>
public class GateLifetimeTests
{
    [Test]
    public async Task A_lifetime_counts_from_the_gates_clock_and_the_grant_expires_on_it()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        var before = bed.Now;

        var grant = await gate.GrantAsync("alice", IPAddress.Parse("203.0.113.7"), TimeSpan.FromHours(8));
        var text = await gate.GrantAsync("bob", "198.51.100.20", TimeSpan.FromMinutes(30));

        Assert.That(grant.ExpiresAt - TimeSpan.FromHours(8), Is.InRange(before, grant.GrantedAt), "now by the emulated clock, plus eight hours");
        Assert.That(text.ExpiresAt - TimeSpan.FromMinutes(30), Is.InRange(before, text.GrantedAt));
        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.7/32", "198.51.100.20/32" }));

        bed.Time.Skip(TimeSpan.FromMinutes(30));
        Assert.That(await bed.EntraBecomesAsync("203.0.113.7/32"), Is.True, "bob's half hour ends first, on the emulated clock");
    }

    [TestCase(0)]
    [TestCase(-60)]
    public async Task A_lifetime_that_is_not_positive_is_refused_as_ENTRA059_and_changes_nothing(int seconds)
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();

        var error = Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", TimeSpan.FromSeconds(seconds)))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(gate.GetState().Grants, Is.Empty);
        Assert.That(bed.Patches, Is.Zero);
    }

    [Test]
    public void A_lifetime_past_the_calendars_end_is_refused_not_overflowed()
    {
        var error = Assert.Throws<EntraException>(() => GrantLifetime.ExpiryAfter(DateTimeOffset.UnixEpoch, TimeSpan.MaxValue))!;

        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
    }

    [Test]
    public async Task An_implementation_written_before_the_overload_gets_it_by_default()
    {
        INamedLocationGate gate = new RecordingGate();
        var before = TimeProvider.System.GetUtcNow();

        var grant = await gate.GrantAsync("alice", IPAddress.Parse("203.0.113.7"), TimeSpan.FromHours(1));
        var after = TimeProvider.System.GetUtcNow();

        Assert.That(grant.ExpiresAt - TimeSpan.FromHours(1), Is.InRange(before, after));
        Assert.ThrowsAsync<EntraException>(() => gate.GrantAsync("alice", "203.0.113.7", TimeSpan.Zero));
    }

    /// <summary>An implementation that knows only the members the interface had before the lifetime overloads.</summary>
    private sealed class RecordingGate : INamedLocationGate
    {
        public string Name => "recording";

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<Grant> GrantAsync(string grantId, IPAddress address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Grant(grantId, Knocknoc.Entra.Sdk.CidrAlgebra.Cidr.Parse($"{address}/32"), expiresAt, TimeProvider.System.GetUtcNow()));

        public Task<Grant> GrantAsync(string grantId, string address, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            GrantAsync(grantId, IPAddress.Parse(address), expiresAt, cancellationToken);

        public Task<RevokeResult> RevokeAsync(string grantId, CancellationToken cancellationToken = default) => Task.FromResult(RevokeResult.NotFound);

        public Task<int> FlushAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<ReconcileResult> ReconcileAsync(IEnumerable<GrantRequest> grants, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CheckDriftAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public NamedLocationGateState GetState() => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
