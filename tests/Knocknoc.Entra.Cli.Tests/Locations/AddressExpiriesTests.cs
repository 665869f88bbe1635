using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Locations;

/// <summary>The expiry record: the later of two expiries wins, only what is due is due, and its file is read strictly.</summary>
public class AddressExpiriesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly Cidr Host = Cidr.Parse("203.0.113.7/32");

    [Test]
    public void Of_two_expiries_of_one_address_the_later_wins_whichever_came_first()
    {
        var later = AddressExpiries.None.Until(Host, Noon.AddHours(8)).Until(Host, Noon.AddHours(1));
        var earlierFirst = AddressExpiries.None.Until(Host, Noon.AddHours(1)).Until(Host, Noon.AddHours(8));

        Assert.That(later.Entries[Host], Is.EqualTo(Noon.AddHours(8)));
        Assert.That(earlierFirst.Entries[Host], Is.EqualTo(Noon.AddHours(8)));
    }

    [Test]
    public void Only_what_is_due_is_due()
    {
        var other = Cidr.Parse("2001:db8::7/128");
        var expiries = AddressExpiries.None.Until(Host, Noon).Until(other, Noon.AddMinutes(90));

        Assert.That(expiries.Due(Noon.AddTicks(-1)), Is.Empty);
        Assert.That(expiries.Due(Noon).Select(entry => entry.Key), Is.EqualTo(new[] { Host }));
        Assert.That(expiries.Due(Noon.AddHours(2)).Select(entry => entry.Key), Is.EquivalentTo(new[] { Host, other }));
        Assert.That(expiries.Without([Host]).Due(Noon.AddHours(2)).Select(entry => entry.Key), Is.EqualTo(new[] { other }));
    }

    [Test]
    public void An_expiry_a_queued_grant_of_the_same_address_settles_is_not_due_for_its_write()
    {
        var other = Cidr.Parse("2001:db8::7/128");
        var expiries = AddressExpiries.None.Until(Host, Noon).Until(other, Noon);

        var due = expiries.Due(Noon.AddMinutes(1), new HashSet<Cidr> { Host });

        Assert.That(due.Select(entry => entry.Key), Is.EqualTo(new[] { other }), "the grant's own process settles its address's record");
    }

    [Test]
    public void The_file_reads_back_as_written()
    {
        var expiries = AddressExpiries.None.Until(Host, Noon).Until(Cidr.Parse("2001:db8::7/128"), Noon.AddDays(1));

        var read = AddressExpiries.Parse(expiries.Format(), CliAddressPolicy.Value, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(read!.Entries, Is.EquivalentTo(expiries.Entries));
    }

    [TestCase("")]
    [TestCase("knocknoc-entra-expiries 1\nexpires 203.0.113.7/32 1796094000000\n")]
    [TestCase("knocknoc-entra-expiries 1\nexpires 203.0.113.7/32 soon\nend\n")]
    [TestCase("knocknoc-entra-expiries 1\nexpires 0.0.0.0/0 1796094000000\nend\n")]
    [TestCase("knocknoc-entra-expiries 1\nexpires 10.1.2.3/32 1796094000000\nend\n")]
    [TestCase("knocknoc-entra-expiries 1\nexpires 203.0.113.7/32 1\nexpires 203.0.113.7/32 2\nend\n")]
    public void A_damaged_or_foreign_file_is_refused(string text)
    {
        Assert.That(AddressExpiries.Parse(text, CliAddressPolicy.Value, out var problem), Is.Null);
        Assert.That(problem, Is.Not.Null.And.Not.Contain("203.0.113"), "the problem never quotes the file");
    }
}
