using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Locations;

/// <summary>
/// Whether a read can be built on after this host's last write: wrote .77 (and removed the sentinel) at T+10s on a
/// read modified at T; the read now is 5 seconds after the write unless a case says otherwise.
/// </summary>
public class ReadTrustTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    private static readonly CidrSet Before = Set("192.0.2.0/32");
    private static readonly CidrSet Written = Set("203.0.113.77/32");

    private static readonly LocationJournal Last = new(
        WriteOutcome.Written,
        Settled: true,
        SentAt: T.AddSeconds(10),
        BasisModified: T,
        WrittenModified: null,
        Written,
        [new JournalAdd(Cidr.Parse("203.0.113.77/32"), ["acl/demo/spool/x"])],
        Before,
        CidrSet.Empty);

    [Test]
    public void Without_a_last_write_every_read_is_trusted() =>
        Assert.That(ReadTrust.Judge(null, Before, T, T), Is.EqualTo(ReadVerdict.Trusted));

    [Test]
    public void The_version_the_write_replaced_is_stale() =>
        Assert.That(Judge(Before, T), Is.EqualTo(ReadVerdict.Stale));

    [Test]
    public void A_version_older_than_the_writes_basis_is_stale_however_long_ago_the_write_was() =>
        Assert.That(ReadTrust.Judge(Last, Before, T.AddSeconds(-1), T.AddHours(1)), Is.EqualTo(ReadVerdict.Stale));

    [Test]
    public void The_write_itself_is_trusted_and_learnt() =>
        Assert.That((Judge(Written, T.AddSeconds(10)), ReadTrust.Learn(Last, Written, T.AddSeconds(10))!.WrittenModified), Is.EqualTo((ReadVerdict.Trusted, (DateTimeOffset?)T.AddSeconds(10))));

    [Test]
    public void A_later_edit_that_keeps_the_write_is_trusted() =>
        Assert.That(Judge(Written.Union(Set("198.51.100.5/32")), T.AddSeconds(11)), Is.EqualTo(ReadVerdict.Trusted));

    [Test]
    public void A_revocation_of_what_the_write_added_is_unsure_until_the_write_is_known_to_be_older()
    {
        var revoked = Before;

        Assert.That(Judge(revoked, T.AddSeconds(11)), Is.EqualTo(ReadVerdict.Unsure), "it may predate the write");
        Assert.That(ReadTrust.Judge(Last with { WrittenModified = T.AddSeconds(10) }, revoked, T.AddSeconds(11), T.AddSeconds(15)), Is.EqualTo(ReadVerdict.Trusted), "it follows the write a read showed");
        Assert.That(ReadTrust.Judge(Last with { WrittenModified = T.AddSeconds(10) }, Written, T.AddSeconds(9), T.AddSeconds(15)), Is.EqualTo(ReadVerdict.Stale), "older than the write a read showed");
    }

    [Test]
    public void A_minute_after_the_write_reads_are_trusted_unless_older_than_its_basis() =>
        Assert.That(ReadTrust.Judge(Last, Before, T.AddSeconds(30), T.AddSeconds(71)), Is.EqualTo(ReadVerdict.Trusted));

    [Test]
    public void After_a_write_that_may_not_have_landed_any_read_from_its_basis_on_is_trusted()
    {
        var unknown = Last with { Outcome = WriteOutcome.Unknown };

        Assert.That(ReadTrust.Judge(unknown, Before, T, T.AddSeconds(11)), Is.EqualTo(ReadVerdict.Trusted));
        Assert.That(ReadTrust.Judge(unknown, Before, T.AddSeconds(-1), T.AddSeconds(11)), Is.EqualTo(ReadVerdict.Stale));
    }

    private static ReadVerdict Judge(CidrSet read, DateTimeOffset modified) => ReadTrust.Judge(Last, read, modified, T.AddSeconds(15));

    private static CidrSet Set(params string[] cidrs) => CidrSet.Create(cidrs.Select(Cidr.Parse));
}
