using System.Net;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Reconciling with the host's truth: an id with any refused request, or whose requested expiry has passed, ends.
/// </summary>
public class GateReconcileTests
{
    [Test]
    public async Task Reconcile_ends_an_id_with_any_refused_request_whatever_the_order()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));

        await gate.ReconcileAsync([new("alice", IPAddress.Parse("10.0.0.1"), bed.Now.AddHours(8)), new("alice", IPAddress.Parse("203.0.113.8"), bed.Now.AddHours(8))]);

        Assert.That(gate.GetState().Grants, Is.Empty);
    }

    [Test]
    public async Task Reconcile_ends_a_grant_whose_requested_expiry_has_passed()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(8));
        var result = await gate.ReconcileAsync([new GrantRequest("alice", IPAddress.Parse("198.51.100.9"), bed.Now.AddSeconds(-1))]);
        Assert.That(result.Refused.Single().Error.Code, Is.EqualTo(EntraErrorCode.GrantRefused));
        Assert.That(gate.GetState().Grants, Is.Empty, "the host's truth has no live alice");
        Assert.That(bed.Entra, Is.EqualTo(new[] { "192.0.2.0/32" }));
    }
}
