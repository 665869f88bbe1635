using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Demo;

/// <summary>The day's hard moments: a burst of sign-ins against the rate limit, and two Graph outages.</summary>
internal sealed partial class DemoDay
{
    private async Task BurstAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        say.Step($"Stand-up: {BurstSize} people sign in within a second, from 198.51.100.100 to 198.51.100.{100 + BurstSize - 1}");
        var writes = world.Writes;
        var requests = world.GraphRequests;
        var started = world.Now;
        await GrantAsync("team01", "198.51.100.100", until, cancellationToken).ConfigureAwait(false);
        var calls = Enumerable.Range(1, BurstSize - 1)
            .Select(i => GrantAsync($"team{i + 1:00}", $"198.51.100.{100 + i}", until, cancellationToken))
            .ToList();
        say.Did($"team01 was written at once; as the other {BurstSize - 1} arrive, {world.Gate.GetState().WaitingCalls} calls wait, pending {say.Pending()}");
        await Task.WhenAll(calls).ConfigureAwait(false);
        var patches = world.Emulator.Journal.Where(entry => entry.IsGraph && entry.Method == "PATCH").Select(entry => entry.Time).ToList();
        var gap = patches.Count >= 2 ? patches[^1] - patches[^2] : TimeSpan.Zero;
        say.Did(
            $"burst: {BurstSize} grants took {Count(world.Writes - writes, "write")} ({Count(world.GraphRequests - requests, "Graph request")}) in {Seconds(world.Now - started)} s of emulated time."
            + $" Graph allows 1 request/s per tenant: the gate held its next PATCH for the next slot ({Seconds(gap)} s after the one before) and it carried every sign-in that had arrived meanwhile");
        say.Did($"the {BurstSize} addresses are written as {CidrSet.Create(Enumerable.Range(100, BurstSize).Select(i => Cidr.Parse($"198.51.100.{i}/32"))).CidrCount} ranges: the exact cover, nothing widened");
        say.State();
        say.Expect(world.Writes - writes < BurstSize, "the burst was coalesced");
        say.Expect(gap >= GraphLimits.TenantRequestInterval, "the burst's writes kept to 1 request/s");
    }

    private async Task ShortOutageAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        const int Failures = 3;
        say.Step($"Graph has a bad moment: its next {Failures} answers are 503 Service Unavailable");
        world.Emulator.FailNext(EmulatedFault.ServiceUnavailable, Failures);
        var refused = world.RefusedWrites;
        var started = world.Now;
        await GrantAsync("dave", "203.0.113.50", until, cancellationToken).ConfigureAwait(false);
        say.Did(
            $"outage ridden out: Graph refused {Count(world.RefusedWrites - refused, "try", "tries")}; the client waited out each Retry-After and the next try wrote dave's 203.0.113.50."
            + $" The call returned normally, {Seconds(world.Now - started)} s later (emulated)");
        say.State();
        say.Expect(Holds("203.0.113.50/32"), "dave's grant is in Entra despite the outage");
    }

    private async Task LongOutageAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var failures = world.Options.Resilience.MaxRetryAttempts + 1;
        say.Step($"Graph is down for longer: its next {failures} answers are 503, more than the client's {failures - 1} retries");
        world.Emulator.FailNext(EmulatedFault.ServiceUnavailable, failures);
        try
        {
            await GrantAsync("erin", "203.0.113.60", until, cancellationToken).ConfigureAwait(false);
            say.Expect(false, "erin's call failed during the outage");
        }
        catch (EntraException error)
        {
            say.Refused($"outage: erin's call failed: {FirstSentence(error.Message)}");
            say.Did("the grant is kept: the gate tries the write again on its own, 30 to 60 s later");
        }

        say.State();
        say.Expect(!Holds("203.0.113.60/32"), "erin's address waits for Graph to come back");

        var writes = world.Writes;
        await world.AtAsync(world.Now + TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        say.Step("Graph is back");
        say.Did($"outage over: the gate's own retry wrote erin's 203.0.113.60 ({Count(world.Writes - writes, "write")}); nobody had to call again");
        say.State();
        say.Expect(Holds("203.0.113.60/32"), "erin's grant reached Entra once Graph was back");
    }
}
