using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Changes;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Tests.Changes;

/// <summary>A change file is read strictly, and every address in it passes the grant address policy.</summary>
public class ChangeTextTests
{
    private static readonly GrantAddressPolicy Policy = CliAddressPolicy.Value;

    [TestCase("add 203.0.113.7", "203.0.113.7/32")]
    [TestCase("del 2001:db8::7", "2001:db8::7/128")]
    [TestCase("add ::ffff:203.0.113.7", "203.0.113.7/32")]
    public void A_queued_change_reads_back_as_the_network_the_policy_grants(string line, string network)
    {
        var content = ChangeText.Parse($"{ChangeText.Header}\n{line}\n", Policy, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(content!.Network, Is.EqualTo(Cidr.Parse(network)));
        Assert.That(content.Outcome, Is.Null);
    }

    [TestCase("", "is empty")]
    [TestCase("add 32.0.0.0/9\n", "does not start with the change file header")]
    [TestCase("knocknoc-entra-change 1\nadd 32.0.0.0/9\n", "grant address policy refuses")]
    [TestCase("knocknoc-entra-change 1\nadd 10.1.2.3\n", "grant address policy refuses")]
    [TestCase("knocknoc-entra-change 1\nadd 203.0.113.7/32\n", "grant address policy refuses")]
    [TestCase("knocknoc-entra-change 1\nadd  203.0.113.7\n", "grant address policy refuses")]
    [TestCase("knocknoc-entra-change 1\ndel 192.0.2.0\n", "grant address policy refuses")]
    [TestCase("knocknoc-entra-change 1\nadd 203.0.113.7", "ends before its change line is complete")]
    [TestCase("knocknoc-entra-change 1\nADD 203.0.113.7\n", "holds no change")]
    [TestCase("knocknoc-entra-change 1\nflush now\n", "holds no change")]
    [TestCase("knocknoc-entra-change 1\nadd\n", "holds no change")]
    public void Anything_else_is_not_a_change_file(string text, string problem)
    {
        Assert.That(ChangeText.Parse(text, Policy, out var found), Is.Null);
        Assert.That(found, Does.Contain(problem));
    }

    [Test]
    public void An_outcome_appended_reads_back_whole_and_a_cut_one_is_marked_damaged()
    {
        var change = ChangeText.Format(new QueuedChange(ChangeVerb.Add, "203.0.113.7"));
        var applied = new ChangeApplied("loc-1", "knocknoc vpn\n2", true, 3, CidrSet.Create(Cidr.Parse("203.0.113.7/32")), CidrSet.Create(Cidr.Parse("192.0.2.0/32")), CidrSet.Create(Cidr.Parse("203.0.113.6/31")));
        var failed = ChangeFailed.From(new EntraException(EntraErrorCode.NamedLocationUpdateFailed, "a reason\nwith lines"));

        var appliedBack = ChangeText.Parse(change + ChangeText.Format(applied), Policy, out _)!;
        var failedBack = ChangeText.Parse(change + ChangeText.Format(failed), Policy, out _)!;
        var cut = ChangeText.Parse(change + ChangeText.Format(applied)[..20], Policy, out _)!;

        Assert.That(appliedBack.Outcome, Is.EqualTo(applied));
        Assert.That(failedBack.Outcome, Is.EqualTo(failed));
        Assert.That((cut.Outcome, cut.HasDamagedOutcome, cut.ChangeLength), Is.EqualTo(((ChangeOutcome?)null, true, change.Length)));
    }
}
