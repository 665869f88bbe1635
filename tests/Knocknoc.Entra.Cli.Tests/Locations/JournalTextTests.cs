using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Locations;

/// <summary>The journal reads back exactly, and strictly: nothing in it can carry a range no caller could grant.</summary>
public class JournalTextTests
{
    private const string Owner = "acl/demo/spool/00000000000000000001-0000000001-0123456789abcdef0123456789abcdef";

    private static readonly LocationJournal Journal = new(
        WriteOutcome.Unknown,
        Settled: false,
        DateTimeOffset.FromUnixTimeMilliseconds(1_796_094_000_123),
        new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero).AddTicks(1234567),
        null,
        CidrSet.Create(Cidr.Parse("203.0.113.7/32"), Cidr.Parse("12.34.220.0/22")),
        [new JournalAdd(Cidr.Parse("203.0.113.7/32"), [Owner, "location/abc-1/spool/00000000000000000002-0000000002-0123456789abcdef0123456789abcdef"])],
        CidrSet.Create(Cidr.Parse("192.0.2.0/32")),
        CidrSet.Create(Cidr.Parse("2001:db8::7/128")));

    [Test]
    public void A_journal_reads_back_as_written()
    {
        var back = JournalText.Parse(JournalText.Format(Journal), CliAddressPolicy.Value, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(back, Is.EqualTo(Journal).Using<LocationJournal>((a, b) => JournalText.Format(a) == JournalText.Format(b)));
        Assert.That(back!.BasisModified, Is.EqualTo(Journal.BasisModified), "to the tick: Graph gives seven digits");
    }

    [TestCase("withdraw 2001:db8::7/128", "withdraw 32.0.0.0/9")]
    [TestCase("withdraw 2001:db8::7/128", "withdraw 10.0.0.1/32")]
    [TestCase($"added 203.0.113.7/32 {Owner}", "added 32.0.0.0/9 " + Owner)]
    [TestCase($"added 203.0.113.7/32 {Owner}", "added 203.0.113.7/32 ../../etc/spool/x")]
    [TestCase("written 203.0.113.7/32", "written 203.0.113.7/24")]
    [TestCase("settled no", "settled maybe")]
    [TestCase("end\n", "")]
    public void Anything_else_is_not_a_journal(string line, string replacement)
    {
        var text = JournalText.Format(Journal).Replace(line, replacement, StringComparison.Ordinal);

        Assert.That(JournalText.Parse(text, CliAddressPolicy.Value, out var problem), Is.Null);
        Assert.That(problem, Is.Not.Null);
    }
}
