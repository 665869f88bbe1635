using System.Globalization;

namespace Knocknoc.Entra.Sdk.Benchmarks.Gate;

internal static partial class GateScenarios
{
    /// <summary>
    /// Opt-in session revocation: users holding several grants across addresses, whose grants all end (about 40%
    /// revoked, the rest expiring): revocation calls per 1,000 grant endings, against the users whose last grant ended.
    /// </summary>
    private static async Task SessionsAsync(int users, int grantsPerUser)
    {
        await using var world = new EmulatedWorld();
        for (var u = 0; u < users; u++)
        {
            world.Tenant.AddUser($"u{u}@bench.example");
        }

        world.Options.SessionRevocation = new SessionRevocationOptions { UserOf = id => $"{id[..id.IndexOf('/', StringComparison.Ordinal)]}@bench.example" };
        var gate = await world.StartGateAsync();
        var random = new Random(3);
        var start = world.Clock.GetUtcNow();
        var calls = new List<Task>();
        var ids = new List<string>();
        for (var g = 0; g < grantsPerUser; g++)
        {
            for (var u = 0; u < users; u++)
            {
                var id = $"u{u}/g{g}";
                ids.Add(id);
                calls.Add(gate.GrantAsync(id, GateWriteBenchmarks.ScatteredPublicAddress(random), world.Clock.GetUtcNow().AddSeconds(30 + random.Next(270))));
                await world.StepAsync(TimeSpan.FromMilliseconds(20), resolution: TimeSpan.FromMilliseconds(20));
            }
        }

        var revoked = 0;
        foreach (var id in ids.Where(_ => random.Next(10) < 4))
        {
            revoked++;
            calls.Add(gate.RevokeAsync(id));
            await world.StepAsync(TimeSpan.FromMilliseconds(20), resolution: TimeSpan.FromMilliseconds(20));
        }

        var all = Task.WhenAll(calls);
        for (var i = 0; i < 10_000 && !(all.IsCompleted && gate.GetState().Grants.IsEmpty && world.Tenant.SessionRevocations.Count >= users); i++)
        {
            await world.StepAsync(TimeSpan.FromMilliseconds(50));
        }

        await all;
        var endings = ids.Count;
        var revocations = world.Tenant.SessionRevocations;
        var distinct = revocations.Select(r => r.UserId).Distinct().Count();
        var elapsed = world.Clock.GetUtcNow() - start;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sessions: {users} users x {grantsPerUser} grants = {endings} grant endings ({revoked} revoked, {endings - revoked} expired) over {elapsed.TotalSeconds:0} emulated s -> {revocations.Count} revocation calls ({revocations.Count * 1000.0 / endings:0} per 1,000 endings; {distinct} distinct users; {users} last-grant ends expected), {world.Patches} PATCHes, 429s: {world.Throttled}"));
    }
}
