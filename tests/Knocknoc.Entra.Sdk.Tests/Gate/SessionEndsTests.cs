
namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>The core's decision of whose sessions end, driven with values: no gate, no Graph.</summary>
public class SessionEndsTests
{
    private static SessionEnds New() => new(id => id.Contains('/', StringComparison.Ordinal) ? id.Split('/')[0] : null);

    [Test]
    public void Only_the_last_grant_of_a_user_ends_their_sessions_and_only_once_the_write_is_confirmed()
    {
        var ends = New();
        ends.Held("alice/laptop");
        ends.Held("alice/phone");
        ends.Held("nobody");
        ends.Released("alice/laptop", undone: false);
        ends.Released("nobody", undone: false);
        ends.Planned(1);
        Assert.That(ends.Confirmed(1), Is.Empty, "alice still holds her phone's grant");

        ends.Released("alice/phone", undone: false);
        Assert.That(ends.Confirmed(1), Is.Empty, "not before a write that carries the end");
        ends.Planned(2);
        Assert.That(ends.Confirmed(1), Is.Empty, "a confirmed older write does not carry it");
        Assert.That(ends.Confirmed(2), Is.EqualTo(new[] { "alice" }));
        Assert.That(ends.Confirmed(3), Is.Empty, "never twice for one end");
    }

    [Test]
    public void A_user_granted_again_before_the_write_keeps_their_sessions_and_two_ends_before_one_write_are_one()
    {
        var ends = New();
        ends.Held("alice/laptop");
        ends.Released("alice/laptop", undone: false);
        ends.Held("alice/laptop");
        ends.Planned(1);
        Assert.That(ends.Confirmed(1), Is.Empty);

        ends.Released("alice/laptop", undone: false);
        ends.Held("alice/phone");
        ends.Released("alice/phone", undone: false);
        ends.Planned(2);
        Assert.That(ends.Confirmed(2), Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public void An_undone_grant_ends_nothing_but_an_earlier_real_end_still_counts()
    {
        var ends = New();
        ends.Held("bob/a");
        ends.Released("bob/a", undone: true);
        ends.Held("carol/a");
        ends.Released("carol/a", undone: false);
        ends.Held("carol/b");
        ends.Released("carol/b", undone: true);
        ends.Planned(1);

        Assert.That(ends.Confirmed(1), Is.EqualTo(new[] { "carol" }));
        Assert.That((ends.UsersWithGrants, ends.PendingEnds), Is.EqualTo((0, 0)));
    }
}
