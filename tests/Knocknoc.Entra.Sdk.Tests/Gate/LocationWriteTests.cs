using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>What the gate writes: others' ranges apart from its own, never /8 or wider, the sentinel when empty.</summary>
public class LocationWriteTests
{
    private static readonly Cidr Sentinel = Cidr.Parse("192.0.2.0/32");

    [Test]
    public void Nothing_granted_and_nothing_kept_writes_the_sentinel()
    {
        var write = LocationWrite.Compose(CidrSet.Empty, KeptRanges.None, Sentinel);

        Assert.That(write.Ranges, Is.EqualTo(new[] { Sentinel }));
        Assert.That(write.IsSentinel, Is.True);
        Assert.That(LocationWrite.Count(CidrSet.Empty, KeptRanges.None), Is.EqualTo(1));
    }

    [Test]
    public void A_cover_entry_of_8_or_wider_is_split_into_9s_covering_exactly_the_same_addresses()
    {
        var granted = CidrSet.Create(Cidr.Parse("11.0.0.0/8"), Cidr.Parse("2000::/7"), Cidr.Parse("203.0.113.1/32"));

        var write = LocationWrite.Compose(granted, KeptRanges.None, Sentinel);

        Assert.That(write.Ranges.Select(c => c.PrefixLength), Is.All.GreaterThanOrEqualTo(9));
        Assert.That(write.ToSet(), Is.EqualTo(granted));
        Assert.That(write.Ranges, Has.Length.EqualTo(2 + 4 + 1));
        Assert.That(LocationWrite.Count(granted, KeptRanges.None), Is.EqualTo(write.Ranges.Length));
    }

    [Test]
    public void Kept_ranges_are_written_as_they_were_never_merged_into_a_cover()
    {
        var kept = KeptRanges.None.WithForeign([Cidr.Parse("198.51.100.0/24"), Cidr.Parse("198.51.101.0/24"), Cidr.Parse("198.51.100.0/24")]);

        var write = LocationWrite.Compose(CidrSet.Empty, kept, Sentinel);

        Assert.That(write.Ranges.Select(c => c.ToString()), Is.EqualTo(new[] { "198.51.100.0/24", "198.51.101.0/24" }), "not one /23; the duplicate once");
        Assert.That(LocationWrite.Count(CidrSet.Empty, kept), Is.EqualTo(2));
    }

    [Test]
    public void Own_ranges_never_merge_with_kept_ones_so_the_gate_can_tell_them_apart()
    {
        var kept = KeptRanges.None.WithForeign([Cidr.Parse("203.0.113.0/31")]);
        var granted = CidrSet.Create(Cidr.Parse("203.0.113.1/32"), Cidr.Parse("203.0.113.2/32"), Cidr.Parse("203.0.113.3/32"));

        var write = LocationWrite.Compose(granted, kept, Sentinel);

        Assert.That(write.Ranges.Select(c => c.ToString()), Is.EqualTo(new[] { "203.0.113.0/31", "203.0.113.2/31" }));
        Assert.That(write.Own.Select(c => c.ToString()), Is.EqualTo(new[] { "203.0.113.2/31" }));
        Assert.That(LocationWrite.Count(granted, kept), Is.EqualTo(2));
    }

    // Built in the body: test case arguments pass through text that replaces lone surrogates.
    [TestCase(0xD800, "a", "b")]
    [TestCase(0xDC00, "", "")]
    public async Task A_grant_id_that_is_not_valid_Unicode_is_refused(int surrogate, string before, string after)
    {
        var id = before + (char)surrogate + after;
        await using var bed = new GateTestBed();
        var gate = bed.CreateGate();

        Assert.ThrowsAsync<ArgumentException>(() => gate.GrantAsync(id, "203.0.113.7", bed.Now.AddHours(1)));
        Assert.That(gate.GetState().Grants, Is.Empty);
    }
}
