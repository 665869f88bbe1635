#region snippet:embedding-reconcile
using System.Net;
using Knocknoc.Entra.Sdk;
#endregion

namespace Knocknoc.Entra.DocSnippets.Embedding;

/// <summary>embedding.md: after an outage (or a damaged store), the host's own sessions are the truth.</summary>
public static class Durability
{
    /// <param name="gate">A started gate.</param>
    /// <param name="sessions">The host's sessions, as its own database has them.</param>
    public static async Task ReconcileAsync(INamedLocationGate gate, IReadOnlyList<(string User, IPAddress Address, DateTimeOffset Until)> sessions)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(sessions);

        #region snippet:embedding-reconcile
        var state = gate.GetState();
        if (state.StoreProblems.Count > 0)
        {
            // ENTRA062 at start: the gate removes nothing from Entra until the host says what is granted.
            Console.WriteLine($"store damaged: {state.KeptRanges.Length} range(s) kept, first problem: {state.StoreProblems[0]}");
        }

        var result = await gate.ReconcileAsync(sessions.Select(s => new GrantRequest(s.User, s.Address, s.Until)));
        Console.WriteLine($"{result.Added} added, {result.Updated} updated, {result.Unchanged} unchanged, {result.Removed} removed");
        foreach (var refused in result.Refused)
        {
            Console.WriteLine($"refused {refused.Request.GrantId}: {refused.Error.CodeText}");
        }
        // store damaged: 1 range(s) kept, first problem: line 1: checksum mismatch; the line was altered or cut
        // 2 added, 0 updated, 0 unchanged, 0 removed
        // refused mallory: ENTRA059
        #endregion
    }
}
