using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests.Storage;

/// <summary>The writer's copy of the table: changes since its version applied on top of a full read.</summary>
public class TableMirrorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Changes_add_move_and_end_grants_and_an_expired_grant_leaves_the_live_list()
    {
        var mirror = new TableMirror();
        Assert.That(mirror.NeedsFullRead, Is.True);
        mirror.Replace(3, [Row("alice", "203.0.113.7/32", 60), Row("bob", "203.0.113.8/32", 5)]);

        mirror.Apply(5, [Row("alice", "203.0.113.9/32", 60), Row("carol", "203.0.113.10/32", 60), Ended("bob")], Now);
        Assert.That(Live(mirror, Now), Is.EqualTo(new[] { "alice=203.0.113.9/32", "carol=203.0.113.10/32" }));
        Assert.That((mirror.Version, mirror.NeedsFullRead), Is.EqualTo((5L, false)));

        mirror.Apply(6, [Row("dave", "203.0.113.11/32", 10)], Now);
        Assert.That(Live(mirror, Now.AddMinutes(30)), Is.EqualTo(new[] { "alice=203.0.113.9/32", "carol=203.0.113.10/32" }), "dave expired");
        Assert.That(Live(mirror, Now), Is.EqualTo(new[] { "alice=203.0.113.9/32", "carol=203.0.113.10/32" }), "an expired grant is gone from the copy, not only hidden");
    }

    [Test]
    public void After_invalidation_the_next_read_is_a_full_one_whose_rows_replace_the_copy()
    {
        var mirror = new TableMirror();
        mirror.Replace(3, [Row("alice", "203.0.113.7/32", 60)]);

        mirror.Invalidate();
        Assert.That(mirror.NeedsFullRead, Is.True);
        mirror.Replace(9, [Row("bob", "203.0.113.8/32", 60)]);

        Assert.That(Live(mirror, Now), Is.EqualTo(new[] { "bob=203.0.113.8/32" }));
        Assert.That(mirror.Version, Is.EqualTo(9));
    }

    private static SharedGrant Row(string id, string network, int minutes) => new(id, Cidr.Parse(network), Now.AddMinutes(minutes), Now);

    private static SharedGrant Ended(string id) => new(id, Cidr.Parse("203.0.113.8/32"), DateTimeOffset.MinValue, Now);

    private static string[] Live(TableMirror mirror, DateTimeOffset now) =>
        [.. mirror.Live(now).Select(g => $"{g.GrantId}={g.Network}").Order(StringComparer.Ordinal)];
}
