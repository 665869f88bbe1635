using System.Globalization;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Demo;

/// <summary>
/// The demo's scripted day on the emulated clock: sign-ins, two users behind one NAT address, an address change, a
/// contractor's short grant expiring, a burst of sign-ins against the rate limit, two Graph outages (one the client
/// rides out, one that fails a call and is written once Graph is back) and the end of the day.
/// </summary>
internal sealed partial class DemoDay(DemoWorld world, DemoNarrator say)
{
    private const string Office = "203.0.113.7";
    private const int BurstSize = 20;

    private int _grants;

    /// <summary>Gets how many grants the day made (moves included).</summary>
    public int Grants => _grants;

    /// <summary>Plays the day.</summary>
    /// <param name="cancellationToken">Stops the demo.</param>
    /// <returns>A task that completes at the end of the day.</returns>
    public async Task PlayAsync(CancellationToken cancellationToken)
    {
        var gate = world.Gate;
        var endOfDay = At(17, 0);

        say.Step($"The gate starts on '{DemoWorld.LocationName}'");
        await gate.StartAsync(cancellationToken).ConfigureAwait(false);
        say.Did($"Entra emulator: tenant {Short(world.Tenant.TenantId)}, app {Short(world.Application.ClientId)}, Graph's limit of 1 request/s per tenant enforced");
        say.Did($"the gate read the location once and checked its name against the guard ({world.Options.NameGuard}); nothing is granted, so it holds the sentinel");
        say.State();
        say.Expect(world.EntraSet.SetEquals(CidrSet.Create(DemoWorld.Sentinel)), "the location holds only the sentinel");

        await world.AtAsync(At(8, 1), cancellationToken).ConfigureAwait(false);
        say.Step($"alice signs in from the office, {Office}");
        await GrantAsync("alice", Office, endOfDay, cancellationToken).ConfigureAwait(false);
        say.Did($"granted alice {Office}/32 until {DemoNarrator.Clock(endOfDay)}; the call returned once Entra held it");
        say.State();
        say.Expect(Holds($"{Office}/32") && !Holds(DemoWorld.Sentinel.ToString()), "alice's address replaced the sentinel");

        await world.AtAsync(At(8, 2), cancellationToken).ConfigureAwait(false);
        say.Step($"bob signs in from the same office NAT address, {Office}");
        var writes = world.Writes;
        await GrantAsync("bob", Office, endOfDay, cancellationToken).ConfigureAwait(false);
        say.Did($"NAT: granted bob {Office}/32 too; Entra already held it, so nothing was written ({Count(world.Writes - writes, "write")})");
        say.State();
        say.Expect(world.Writes == writes, "bob's grant cost no write");

        await world.AtAsync(At(8, 5), cancellationToken).ConfigureAwait(false);
        say.Step("carol signs in from home, 198.51.100.23");
        await GrantAsync("carol", "198.51.100.23", endOfDay, cancellationToken).ConfigureAwait(false);
        say.Did("granted carol 198.51.100.23/32");
        say.State();

        await world.AtAsync(At(8, 6), cancellationToken).ConfigureAwait(false);
        say.Step("frank signs in over IPv6, 2001:db8:7::15");
        await GrantAsync("frank", "2001:db8:7::15", endOfDay, cancellationToken).ConfigureAwait(false);
        say.Did("granted frank 2001:db8:7::15/128 (an IPv6 grant is the address alone unless the policy widens it)");
        say.State();

        await world.AtAsync(At(8, 8), cancellationToken).ConfigureAwait(false);
        say.Step("mallory's sign-in reports 10.1.2.3, a private address");
        await RefusedAsync("mallory", "10.1.2.3", endOfDay, cancellationToken).ConfigureAwait(false);

        var graceUntil = At(8, 40);
        await world.AtAsync(At(8, 10), cancellationToken).ConfigureAwait(false);
        say.Step("grace, a contractor, gets a 30-minute grant from 198.51.100.200");
        await GrantAsync("grace", "198.51.100.200", graceUntil, cancellationToken).ConfigureAwait(false);
        say.Did($"granted grace 198.51.100.200/32 until {DemoNarrator.Clock(graceUntil)}");
        say.State();

        await world.AtAsync(At(8, 15), cancellationToken).ConfigureAwait(false);
        say.Step("alice signs out: her grant is revoked");
        writes = world.Writes;
        var revoked = await gate.RevokeAsync("alice", cancellationToken).ConfigureAwait(false);
        say.Did($"NAT: revoked alice; the result says {Office} is still granted to {string.Join(", ", revoked.StillGrantedTo)}, so it stays ({Count(world.Writes - writes, "write")})");
        say.State();
        say.Expect(Holds($"{Office}/32"), "bob keeps the office address after alice's revocation");
        say.Expect(!revoked.AddressRemoved && revoked.StillGrantedTo.SequenceEqual(["bob"]), "the revocation tells its caller that bob still holds the address");

        await world.AtAsync(At(8, 20), cancellationToken).ConfigureAwait(false);
        say.Step("carol's address changes to 198.51.100.80 (her router reconnected)");
        writes = world.Writes;
        await GrantAsync("carol", "198.51.100.80", endOfDay, cancellationToken).ConfigureAwait(false);
        say.Did($"move: granted carol again under the same id; 198.51.100.23 left and 198.51.100.80 came in ({Count(world.Writes - writes, "write")})");
        say.State();
        say.Expect(Holds("198.51.100.80/32") && !Holds("198.51.100.23/32"), "carol's grant moved to her new address");

        writes = world.Writes;
        await world.AtAsync(graceUntil, cancellationToken).ConfigureAwait(false);
        say.Step("grace's grant expires; nobody calls revoke");
        say.Did($"expiry: the gate removed 198.51.100.200/32 on its own at {DemoNarrator.Clock(graceUntil)} ({Count(world.Writes - writes, "write")})");
        say.State();
        say.Expect(!Holds("198.51.100.200/32"), "grace's expired grant left the location");

        await world.AtAsync(At(9, 0), cancellationToken).ConfigureAwait(false);
        await BurstAsync(endOfDay, cancellationToken).ConfigureAwait(false);

        await world.AtAsync(At(10, 0), cancellationToken).ConfigureAwait(false);
        await ShortOutageAsync(endOfDay, cancellationToken).ConfigureAwait(false);

        await world.AtAsync(At(11, 0), cancellationToken).ConfigureAwait(false);
        await LongOutageAsync(endOfDay, cancellationToken).ConfigureAwait(false);

        writes = world.Writes;
        var ranges = world.EntraRanges.Count;
        await world.AtAsync(endOfDay, cancellationToken).ConfigureAwait(false);
        say.Step("End of the day: every remaining grant expires");
        say.Did($"expiry: the gate removed {Count(ranges, "range")} in {Count(world.Writes - writes, "write")}; the location holds only the sentinel again");
        say.State();
        say.Expect(world.EntraSet.SetEquals(CidrSet.Create(DemoWorld.Sentinel)), "only the sentinel is left at the end of the day");
    }

    private async Task GrantAsync(string user, string address, DateTimeOffset until, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _grants);
        await world.Gate.GrantAsync(user, address, until, cancellationToken).ConfigureAwait(false);
    }

    private async Task RefusedAsync(string user, string address, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var writes = world.Writes;
        try
        {
            await world.Gate.GrantAsync(user, address, until, cancellationToken).ConfigureAwait(false);
            say.Expect(false, $"{address} is refused");
        }
        catch (EntraException error)
        {
            say.Refused($"refused, nothing changed ({Count(world.Writes - writes, "write")}): {FirstSentence(error.Message)}");
        }

        say.State();
    }

    private bool Holds(string range) => world.EntraRanges.Contains(range, StringComparer.Ordinal);

    private DateTimeOffset At(int hour, int minute) => world.Morning - world.Morning.TimeOfDay + new TimeSpan(hour, minute, 0);

    private static string Count(int count, string one, string? many = null) => count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Short(string id) => id.Length > 8 ? id[..8] + "…" : id;

    /// <summary>The ENTRA message up to its advice: <c>(agent error #ENTRA051) ...</c> first sentence and detail.</summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var second = end < 0 ? -1 : message.IndexOf(". ", end + 2, StringComparison.Ordinal);
        return second < 0 ? message.TrimEnd('.') : message[..second];
    }
}
