#region snippet:embedding-operations
using Knocknoc.Entra.Sdk;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: what the gate's calls return and throw.</summary>
public static class Operations
{
    /// <param name="gate">A started gate.</param>
    /// <param name="clock">The gate's clock.</param>
    /// <param name="requestAborted">The caller's token (a request that went away).</param>
    public static async Task RunAsync(INamedLocationGate gate, TimeProvider clock, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(clock);

        #region snippet:embedding-operations
        var until = clock.GetUtcNow().AddHours(8);
        try
        {
            await gate.GrantAsync("mallory", "10.1.2.3", until);           // a private address
        }
        catch (EntraException refused) when (refused.Code == EntraErrorCode.GrantRefused)
        {
            Console.WriteLine($"{refused.CodeText}, nothing changed: {gate.GetState().Grants.Length} grant(s)");
        }
        // ENTRA059, nothing changed: 0 grant(s)

        try
        {
            await gate.GrantAsync("carol", "198.51.100.23", until, requestAborted);
        }
        catch (OperationCanceledException)
        {
            // Only the wait ended: carol's grant is kept, and written when Graph allows.
        }

        Console.WriteLine($"carol granted: {gate.GetState().Grants.Any(g => g.Id == "carol")}");
        Console.WriteLine($"revoked nobody: {(await gate.RevokeAsync("nobody")).Revoked}");  // unknown id: a no-op
        // carol granted: True
        // revoked nobody: False
        #endregion
    }
}
