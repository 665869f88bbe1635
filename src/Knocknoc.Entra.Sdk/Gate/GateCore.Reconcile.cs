using System.Collections.Immutable;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk;

internal sealed partial class GateCore
{
    /// <summary>
    /// The host's truth arrived: the grants become exactly <paramref name="requests"/>. A refused request is
    /// reported and its id ends (fail closed): the host's truth has no valid grant for it, so an older grant of that
    /// id must not linger. The caller's waiter is a grant call when anything was added or moved.
    /// </summary>
    public (ReconcileResult Result, bool Granted) Reconcile(IReadOnlyList<GrantRequest> requests, DateTimeOffset now)
    {
        var refused = ImmutableArray.CreateBuilder<RefusedGrant>();
        int added = 0, updated = 0, unchanged = 0, removed = 0;

        // Check every request first.
        var wanted = new Dictionary<string, (GrantRequest Request, Cidr Network)>(StringComparer.Ordinal);
        var refusedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            try
            {
                var network = CheckNetwork(_settings.AddressPolicy.GetGrantNetwork(request.Address));
                CheckExpiry(request.GrantId, request.ExpiresAt, now);
                wanted[request.GrantId] = (request, network);
            }
            catch (EntraException error)
            {
                refusedIds.Add(request.GrantId);
                refused.Add(new RefusedGrant(request, error));
            }
        }

        // Whatever the order of duplicates, an id with a refused request ends.
        foreach (var id in refusedIds)
        {
            wanted.Remove(id);
        }

        var gone = new List<string>();
        foreach (var (id, _) in Table)
        {
            if (!wanted.ContainsKey(id))
            {
                gone.Add(id);
            }
        }

        foreach (var id in gone)
        {
            Table.Remove(id, out var entry);
            _unsaved.Ended(id);
            _audit.Add(new AuditNote(AuditKind.Revoked, id, entry.Network, default, entry.ExpiresAtMs));
            removed++;
        }

        // The host's truth replaces whatever a damaged store made the gate keep.
        Kept = Kept.WithPreserved([]);

        // When the whole list fits, its grants are admitted together: one by one, a half-filled block could
        // cost more ranges on the way than at the end.
        var fitsWhole = LocationWrite.Count(CidrSet.Create(wanted.Values.Select(w => w.Network)), Kept) <= _settings.MaxRanges;
        foreach (var (request, network) in wanted.Values)
        {
            try
            {
                var outcome = Apply(request.GrantId, network, request.ExpiresAt, now, checkCapacity: !fitsWhole);
                _ = outcome switch
                {
                    GrantOutcome.Added => added++,
                    GrantOutcome.Moved => updated++,
                    _ => unchanged++,
                };
            }
            catch (EntraException error)
            {
                refused.Add(new RefusedGrant(request, error));
                if (Table.Remove(request.GrantId, out var entry))
                {
                    _unsaved.Ended(request.GrantId);
                    _audit.Add(new AuditNote(AuditKind.Revoked, request.GrantId, entry.Network, default, entry.ExpiresAtMs));
                    removed++;
                }
            }
        }

        Waiters.Bump();
        return (new ReconcileResult(added, updated, unchanged, removed, refused.ToImmutable()), added + updated > 0);
    }
}
