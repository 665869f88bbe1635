using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

public sealed partial class NamedLocationGate
{
    /// <summary>Runs a public call in its span; a failure marks the span with its <c>error.type</c>.</summary>
    private async Task<T> TracedAsync<T>(string span, Func<Task<T>> call)
    {
        using var activity = GateTracing.StartCall(span, Name);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (GateTracing.Failed(activity, error))
        {
            throw;
        }
    }

    /// <summary>A call refused before anything changed: counted and logged under its code.</summary>
    private void Refused(EntraException error)
    {
        GateMetrics.Failed(this, error.Code);
        Log.Failure(_logger, error);
    }

    /// <summary>Tells the host's observer of a write, confirmed (<paramref name="error"/> null) or failed.</summary>
    private void Written(int ranges, CidrSetDiff diff, TimeSpan elapsed, EntraErrorCode? error, TimeSpan retryIn) =>
        ObservedEvents.Raise(_events, _logger, static (o, e) => o.OnLocationWritten(e), new LocationWriteEvent
        {
            Gate = Name,
            LocationId = _core.LocationId!,
            Ranges = ranges,
            Added = diff.Added.CidrCount,
            Removed = diff.Removed.CidrCount,
            Duration = elapsed,
            Error = error,
            RetryDelay = retryIn,
        });

    /// <summary>An expiry: the audit event, and the host's observer.</summary>
    private void Expired(AuditNote note)
    {
        Log.GrantExpired(_logger, Name, note.GrantId, note.Network, note.ExpiresAtMs);
        if (_events is not null)
        {
            ObservedEvents.Raise(_events, _logger, static (o, e) => o.OnGrantExpired(e), new GrantExpiryEvent
            {
                Gate = Name,
                GrantId = note.GrantId,
                Network = note.Network,
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(note.ExpiresAtMs),
            });
        }
    }
}
