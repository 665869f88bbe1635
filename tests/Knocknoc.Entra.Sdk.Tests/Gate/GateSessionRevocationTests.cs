using System.Net;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// Opt-in session revocation through the gate against the emulator: users holding several grants across addresses,
/// checked against a model that counts each user's ends (the moment their last grant ends): Entra must have revoked
/// each user's sessions exactly that many times, never for a user who still held a grant, never twice for one end.
/// </summary>
public class GateSessionRevocationTests
{
    private const int Users = 6;

    private static readonly TimeSpan Grid = TimeSpan.FromMinutes(10);

    private static readonly string[] Addresses = ["203.0.113.4", "203.0.113.5", "203.0.113.9", "198.51.100.20", "2001:db8::1", "2001:db8::2"];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Each_users_sessions_are_revoked_once_per_end_of_their_last_grant(int seed)
    {
        var random = new Random(seed);
        await using var bed = new GateTestBed();
        var users = Enumerable.Range(0, Users).Select(u => bed.Tenant.AddUser($"u{u}@contoso.example")).ToArray();
        bed.Application.Permissions |= GraphPermissions.UserRevokeSessionsAll;
        var gate = await bed.StartGateAsync(WithRevocation);
        var model = new Dictionary<string, DateTimeOffset>();
        var ends = new int[Users];

        // Expiries fall only on a 10-minute grid, and time steps land midway between grid points: a call (which moves
        // the clock by its pacing, seconds) never crosses an expiry, so the model and the gate see every end at the
        // same step.
        var start = bed.Now;
        DateTimeOffset GridPoint(int ahead) => start + (Grid * (((bed.Now - start).Ticks / Grid.Ticks) + ahead));

        for (var step = 0; step < 300; step++)
        {
            var before = HoldingUsers(model, bed.Now);
            var roll = random.Next(100);
            if (roll < 45)
            {
                var id = $"u{random.Next(Users)}/g{random.Next(4)}";
                var expiresAt = GridPoint(1 + random.Next(12));
                model[id] = expiresAt;
                await gate.GrantAsync(id, Addresses[random.Next(Addresses.Length)], expiresAt);
            }
            else if (roll < 75)
            {
                var id = $"u{random.Next(Users)}/g{random.Next(4)}";
                model.Remove(id);
                await gate.RevokeAsync(id);
            }
            else if (roll < 90)
            {
                bed.Time.Skip(GridPoint(1 + random.Next(4)) + (Grid / 2) - bed.Now);

                // The expiries are applied and written before the next call, as the model applies them at once.
                Assert.That(await Eventually.HoldsAsync(() => Settled(gate, bed.Now)), Is.True, $"step {step}: the gate settles after the expiries");
            }
            else if (roll < 97)
            {
                var truth = model.Where(p => p.Value > bed.Now && random.Next(3) > 0).ToDictionary(p => p.Key, p => p.Value);
                truth[$"u{random.Next(Users)}/g{random.Next(4)}"] = GridPoint(1 + random.Next(6));
                model = truth;
                await gate.ReconcileAsync(truth.Select(p => new GrantRequest(p.Key, IPAddress.Parse(Addresses[random.Next(Addresses.Length)]), p.Value)));
            }
            else
            {
                model.Clear();
                await gate.FlushAsync();
            }

            foreach (var user in before.Except(HoldingUsers(model, bed.Now)))
            {
                ends[user]++;
            }
        }

        var expected = ends.Sum();
        // Entra records a revocation when its request arrives, the gate counts it when the answer does, and Waiting
        // leaves out the one in flight: wait for the gate's count too (CI once read it one short, between the two).
        var arrived = await Eventually.HoldsAsync(() =>
            bed.Tenant.SessionRevocations.Count >= expected && gate.SessionRevocations.Waiting == 0 && gate.SessionRevocations.Revoked >= expected);
        Assert.That(arrived, Is.True, $"{bed.Tenant.SessionRevocations.Count} of {expected} revocations arrived");
        Assert.That(users.Select(u => bed.Tenant.SessionRevocationCount(u.Id)), Is.EqualTo(ends), "per user: one revocation per end of their last grant, no more");
        Assert.That(expected, Is.GreaterThan(10), "the walk ends users' last grants often enough to mean something");
        Assert.That(gate.SessionRevocations.Revoked, Is.EqualTo(expected));
    }

    [Test]
    public async Task Sessions_end_only_with_the_users_last_grant_and_a_grant_of_nobody_revokes_nothing()
    {
        await using var bed = new GateTestBed();
        var alice = bed.Tenant.AddUser("u0@contoso.example");
        bed.Application.Permissions |= GraphPermissions.UserRevokeSessionsAll;
        var gate = await bed.StartGateAsync(WithRevocation);
        await gate.GrantAsync("u0/laptop", "203.0.113.4", bed.Now.AddHours(1));
        await gate.GrantAsync("u0/phone", "203.0.113.5", bed.Now.AddHours(1));
        await gate.GrantAsync("service-account", "203.0.113.9", bed.Now.AddHours(1));

        await gate.RevokeAsync("u0/laptop");
        await gate.RevokeAsync("service-account");
        var whileOneLeft = bed.Tenant.SessionRevocations.Count;
        await gate.RevokeAsync("u0/phone");

        Assert.That(await Eventually.HoldsAsync(() => bed.Tenant.SessionRevocations.Count == 1 && gate.SessionRevocations.Waiting == 0 && gate.SessionRevocations.Revoked == 1
            && bed.Logs.Entries.Any(entry => entry.EventId.Id == GateEventId.SessionsRevoked)), Is.True);
        Assert.That(whileOneLeft, Is.Zero, "not while the user holds another grant, nor for a grant of no user");
        Assert.That(bed.Tenant.SessionRevocationCount(alice.Id), Is.EqualTo(1));
        Assert.That(bed.Logs.Entries.Count(entry => entry.EventId.Id == GateEventId.SessionsRevoked), Is.EqualTo(1), "audited as event 1120");
    }

    [Test]
    public async Task A_last_grant_that_expired_while_the_gate_was_down_ends_the_users_sessions_after_the_restart()
    {
        await using var bed = new GateTestBed();
        var alice = bed.Tenant.AddUser("u0@contoso.example");
        var bob = bed.Tenant.AddUser("u1@contoso.example");
        bed.Application.Permissions |= GraphPermissions.UserRevokeSessionsAll;
        var first = await bed.StartGateAsync(WithRevocation);
        await first.GrantAsync("u0/laptop", "203.0.113.4", bed.Now.AddMinutes(30));
        await first.GrantAsync("u1/laptop", "203.0.113.5", bed.Now.AddMinutes(30));
        await first.GrantAsync("u1/phone", "203.0.113.9", bed.Now.AddHours(3));
        await first.DisposeAsync();

        // Both laptops' grants expire while no gate runs: nothing removes their addresses, nothing ends a session.
        bed.Time.Advance(TimeSpan.FromHours(1));
        var second = await bed.StartGateAsync(WithRevocation);

        Assert.That(await Eventually.HoldsAsync(() => bed.Tenant.SessionRevocations.Count >= 1 && second.SessionRevocations.Waiting == 0), Is.True, "the restart ended a session");
        Assert.That(bed.Entra, Does.Not.Contain("203.0.113.4/32").And.Not.Contain("203.0.113.5/32"), "the restart's write took the expired addresses out first");
        Assert.That(bed.Tenant.SessionRevocationCount(alice.Id), Is.EqualTo(1), "alice's last grant ended while the gate was down");
        Assert.That(bed.Tenant.SessionRevocationCount(bob.Id), Is.Zero, "bob still holds his phone's grant");
    }

    [Test]
    public async Task A_refused_revocation_is_retried_until_the_permission_arrives_and_a_user_who_is_gone_is_given_up()
    {
        await using var bed = new GateTestBed();
        var alice = bed.Tenant.AddUser("u0@contoso.example");
        var bob = bed.Tenant.AddUser("u1@contoso.example");
        var gate = await bed.StartGateAsync(WithRevocation);
        await gate.GrantAsync("u0/laptop", "203.0.113.4", bed.Now.AddHours(1));
        await gate.GrantAsync("u1/laptop", "203.0.113.5", bed.Now.AddHours(1));
        bed.Tenant.RemoveUser(bob.Id);

        await gate.RevokeAsync("u0/laptop");
        await gate.RevokeAsync("u1/laptop");
        var refusedFirst = await Eventually.HoldsAsync(() => bed.Logs.Entries.Any(entry => entry.Text.Contains("ENTRA067", StringComparison.Ordinal)));
        bed.Application.Permissions |= GraphPermissions.UserRevokeSessionsAll;

        // The backoff has grown past what the clock fires on its own: time moves on until the retry comes.
        var revoked = await Eventually.HoldsAsync(() =>
        {
            bed.Time.Skip(TimeSpan.FromSeconds(30));
            return bed.Tenant.SessionRevocationCount(alice.Id) == 1 && GaveUp(bed);
        });

        Assert.That(refusedFirst, Is.True, "403 is logged as ENTRA067 and retried");
        Assert.That(revoked, Is.True);
        Assert.That(gate.SessionRevocations.Waiting, Is.Zero, "nothing is retried for a user who is gone");
        Assert.That(bed.Tenant.SessionRevocations, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_gate_that_stops_with_a_revocation_still_waiting_names_the_user()
    {
        await using var bed = new GateTestBed();
        var alice = bed.Tenant.AddUser("u0@contoso.example");
        bed.Tenant.AddUser("u1@contoso.example");
        var gate = await bed.StartGateAsync(WithRevocation);
        await gate.GrantAsync("u0/laptop", "203.0.113.4", bed.Now.AddHours(1));
        await gate.GrantAsync("u1/laptop", "203.0.113.5", bed.Now.AddHours(1));

        // Without the permission Entra refuses (403): the revocation waits for its retry when the host stops.
        await gate.RevokeAsync("u0/laptop");
        Assert.That(await Eventually.HoldsAsync(() => bed.Logs.Entries.Any(entry => entry.EventId.Id == GateEventId.SessionRevocationWillRetry)), Is.True);
        await gate.DisposeAsync();

        var left = bed.Logs.Entries.Where(entry => entry.EventId.Id == GateEventId.SessionRevocationLeftAtStop).Select(entry => entry.Fields["User"]?.ToString()).ToList();
        Assert.That(left, Is.EqualTo(new[] { "u0@contoso.example" }), "the one user whose sessions were still to end, once; not the user who still holds a grant");
        Assert.That(bed.Tenant.SessionRevocationCount(alice.Id), Is.Zero);
    }

    private static bool GaveUp(GateTestBed bed) =>
        bed.Logs.Entries.Any(entry => entry.EventId.Id == 1122 && entry.Text.Contains("u1@contoso.example", StringComparison.Ordinal));

    private static void WithRevocation(NamedLocationGateOptions options) =>
        options.SessionRevocation = new SessionRevocationOptions { UserOf = id => id.Contains('/', StringComparison.Ordinal) ? $"{id.Split('/')[0]}@contoso.example" : null };

    private static HashSet<int> HoldingUsers(Dictionary<string, DateTimeOffset> model, DateTimeOffset now) =>
        [.. model.Where(p => p.Value > now).Select(p => int.Parse(p.Key[1..p.Key.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture))];

    private static bool Settled(NamedLocationGate gate, DateTimeOffset now)
    {
        var state = gate.GetState();
        return state.WaitingCalls == 0 && state.Grants.All(grant => grant.ExpiresAt > now) && state.Pending is { } pending && pending.Added.IsEmpty && pending.Removed.IsEmpty;
    }
}
