using System.Text.RegularExpressions;
using Knocknoc.Entra.Cli.Tests.Support;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// <c>knocknoc-entra demo</c>, run once as a process (no tenant, output redirected, NO_COLOR unset): it exits 0
/// and its output tells each part of the day. Never a timing: the emulated clock makes the day take no real time.
/// </summary>
public partial class DemoCommandTests
{
    private int _exitCode;
    private string _output = string.Empty;
    private string _errors = string.Empty;

    [OneTimeSetUp]
    public async Task RunTheDemo()
    {
        (_exitCode, _output, _errors) = await CliProcess.RunAsync(["demo"], new Dictionary<string, string?> { ["NO_COLOR"] = null });
        TestContext.Out.WriteLine(_output);
        TestContext.Out.WriteLine(_errors);
    }

    [Test]
    public void It_exits_0_with_the_summary_line()
    {
        Assert.That(_exitCode, Is.Zero, _errors);
        Assert.That(_errors, Is.Empty);
        Assert.That(Summary().IsMatch(_output), Is.True, "demo done: 28 grants, N writes (1 request/s limit held), 0 errors");
    }

    [Test]
    public void Two_users_behind_one_NAT_address_share_it_and_the_revocation_of_one_keeps_it()
    {
        Assert.That(_output, Does.Contain("NAT: granted bob 203.0.113.7/32 too; Entra already held it, so nothing was written (0 writes)"));
        Assert.That(_output, Does.Contain("NAT: revoked alice; the result says 203.0.113.7 is still granted to bob, so it stays (0 writes)"));
    }

    [Test]
    public void An_address_change_moves_the_grant_in_one_write()
    {
        Assert.That(_output, Does.Contain("move: granted carol again under the same id; 198.51.100.23 left and 198.51.100.80 came in (1 write)"));
    }

    [Test]
    public void The_burst_of_sign_ins_costs_a_few_writes_not_one_each()
    {
        var burst = BurstLine().Match(_output);
        Assert.That(burst.Success, Is.True, "the burst's line");
        var writes = int.Parse(burst.Groups["writes"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(writes, Is.InRange(2, 5), "the first sign-in at once, the rest gathered while the rate limit held the next PATCH");
        Assert.That(_output, Does.Contain("the gate held its next PATCH for the next slot"));
        Assert.That(_output, Does.Contain("the 20 addresses are written as 3 ranges"));
    }

    [Test]
    public void A_short_outage_is_ridden_out_and_a_long_one_fails_the_call_then_is_written_once_Graph_is_back()
    {
        Assert.That(_output, Does.Contain("outage ridden out: Graph refused 3 tries"));
        Assert.That(_output, Does.Contain("outage: erin's call failed: (agent error #ENTRA051)"));
        Assert.That(_output, Does.Contain("outage over: the gate's own retry wrote erin's 203.0.113.60 (1 write)"));
    }

    [Test]
    public void Expired_grants_leave_without_any_call()
    {
        Assert.That(_output, Does.Contain("expiry: the gate removed 198.51.100.200/32 on its own at 08:40:00 (1 write)"));
        Assert.That(_output, Does.Contain("the location holds only the sentinel again"));
    }

    [Test]
    public void Each_step_shows_what_Entra_holds_what_is_pending_the_writes_and_the_clock()
    {
        Assert.That(_output, Does.Contain("│ 203.0.113.7/32     │ bob"), "a table of ranges and their holders");
        Assert.That(_output, Does.Contain("pending: unknown to the gate after a failed write; Entra lacks +203.0.113.60/32"));
        Assert.That(StatusLine().Matches(_output), Has.Count.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void A_refused_address_changes_nothing_and_says_its_ENTRA_code()
    {
        Assert.That(_output, Does.Contain("refused, nothing changed (0 writes): (agent error #ENTRA059)"));
    }

    [Test]
    public void Output_that_is_not_a_terminal_has_no_colour_codes()
    {
        Assert.That(_output, Does.Not.Contain("\u001b["));
    }

    [GeneratedRegex(@"^demo done: 28 grants, \d+ writes \(1 request/s limit held\), 0 errors$", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"burst: 20 grants took (?<writes>\d+) writes? ")]
    private static partial Regex BurstLine();

    [GeneratedRegex(@"^  pending: .* · writes: \d+ PATCH.* · Graph requests: \d+ · clock \d\d:\d\d:\d\d$", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
}
