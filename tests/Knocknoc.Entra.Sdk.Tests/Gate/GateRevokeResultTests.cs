using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>A revocation's result is the truth: when the address stays for any reason, the caller is told what holds it.</summary>
public class GateRevokeResultTests
{
    [Test]
    public async Task Another_writers_range_that_covers_the_revoked_address_is_named()
    {
        await using var bed = new GateTestBed(emulator: null, "203.0.113.0/24");
        var gate = await bed.StartGateAsync(o => o.Ownership = LocationOwnership.Shared);
        await gate.GrantAsync("alice", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob", "198.51.100.9", bed.Now.AddHours(1));

        var result = await gate.RevokeAsync("alice");

        Assert.That(bed.Entra, Is.EquivalentTo(new[] { "203.0.113.0/24", "198.51.100.9/32" }), "the other writer's range is never touched");
        Assert.That(result.Revoked, Is.True);
        Assert.That(result.AddressRemoved, Is.False, "203.0.113.7 is still allowed: the caller must not take it as gone");
        Assert.That(result.StillAllowedBy, Is.EqualTo(new[] { Cidr.Parse("203.0.113.0/24") }));
        Assert.That(result.StillGrantedTo, Is.Empty);
        Assert.That(bed.Logs.Entries.Count(e => e.EventId.Id == 1119), Is.EqualTo(1), "logged as a warning for the operator");

        var other = await gate.RevokeAsync("bob");
        Assert.That(other.AddressRemoved, Is.True, "nothing else covers 198.51.100.9");
        Assert.That(bed.Logs.Entries.Count(e => e.EventId.Id == 1119), Is.EqualTo(1), "an address that left is not a warning");
    }

    [Test]
    public async Task The_text_of_a_result_never_shows_other_grants_ids()
    {
        await using var bed = new GateTestBed();
        var gate = await bed.StartGateAsync();
        await gate.GrantAsync("alice@example.com", "203.0.113.7", bed.Now.AddHours(1));
        await gate.GrantAsync("bob@example.com", "203.0.113.7", bed.Now.AddHours(1));

        var result = await gate.RevokeAsync("alice@example.com");

        Assert.That(result.ToString(), Is.EqualTo("revoked 203.0.113.7/32; still allowed: 1 other grant(s), 0 kept range(s)"));
        Assert.That(RevokeResult.NotFound.ToString(), Is.EqualTo("nothing to revoke"));
        Assert.That(RevokeResult.NotFound.AddressRemoved, Is.False, "nothing revoked is not a removal");
    }
}
