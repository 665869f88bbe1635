#region snippet:embedding-without-host
using Knocknoc.Entra.Sdk;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: a gate without a host, from creation to disposal.</summary>
public static class WithoutHost
{
    /// <param name="tenantId">The tenant's id.</param>
    /// <param name="clientId">The app registration's client id.</param>
    /// <param name="clientSecret">Its client secret.</param>
    /// <param name="locationId">The IP named location's id.</param>
    /// <param name="storePath">Where the grant store's file is.</param>
    /// <param name="clock">The host's clock.</param>
    /// <param name="forTests">What a test changes in the options (the emulator); the docs leave it out.</param>
    public static async Task RunAsync(string tenantId, string clientId, string clientSecret, string locationId, string storePath, TimeProvider clock, Action<NamedLocationGateOptions> forTests)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(forTests);

        #region snippet:embedding-without-host
        var options = new NamedLocationGateOptions
        {
            LocationId = locationId,
            NameGuard = LocationNameGuard.Prefix("knocknoc_"),
            Credential = EntraCredential.ClientSecret(tenantId, clientId, clientSecret),
            Store = new FileGrantStore(storePath),                  // grants and expiries survive a restart
            TimeProvider = clock,                                   // TimeProvider.System unless you test
        };
        #endregion

        forTests(options);

        #region snippet:embedding-without-host
        await using var gate = NamedLocationGate.Create(options);   // checks the options: ArgumentException lists every problem
        await gate.StartAsync();                                    // loads the store, reads and checks the location, starts the loop

        var grant = await gate.GrantAsync("alice", "203.0.113.7", clock.GetUtcNow().AddHours(8));
        Console.WriteLine($"{grant.Id} holds {grant.Network}");     // returned once the network is in Entra
        Console.WriteLine($"{gate.GetState().WriteCount} write(s), Entra holds {gate.GetState().EntraRanges}");
        // alice holds 203.0.113.7/32
        // 1 write(s), Entra holds {203.0.113.7/32}
        #endregion

        // Leaving the scope disposes the gate: the write in flight finishes, the store is saved, the loop stops.
    }
}
