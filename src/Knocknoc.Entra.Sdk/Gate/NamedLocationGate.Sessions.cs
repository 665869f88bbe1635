using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Sdk;

/// <summary>Opt-in session revocation: the core names the users whose last grant's end Entra holds; this hands them on.</summary>
public sealed partial class NamedLocationGate
{
    private readonly SessionRevoker? _sessions;

    /// <summary>Gets how many users' sessions the gate has ended, and how many revocations wait (0, 0 when it is off).</summary>
    internal (long Revoked, int Waiting) SessionRevocations => _sessions is { } sessions ? (sessions.Revoked, sessions.Waiting) : (0, 0);

    private SessionRevoker? SessionRevokerFor(NamedLocationGateOptions options, INamedLocationClient client)
    {
        if (options.SessionRevocation is not { } revocation)
        {
            return null;
        }

        var sessions = revocation.Client ?? client as ISignInSessionClient
            ?? throw new ArgumentException("SessionRevocation needs a Client: the gate's Graph client cannot end sessions.", nameof(options));
        return new SessionRevoker(sessions, Name, new RetryBackoff(_settings.RetryBaseDelay, _settings.RetryMaxDelay), _time, _random, _logger);
    }

    /// <summary>
    /// At the stop: names each user whose sessions were still to end (queued or retrying, or waiting for a write that
    /// never came), since the store does not keep them and no later start ends them.
    /// </summary>
    private void ReportSessionsLeft(SessionRevoker sessions)
    {
        List<string> waiting;
        lock (_lock)
        {
            waiting = [.. _core.SessionsToEnd.Concat(_core.Table.Sessions?.PendingUsers ?? [])];
        }

        foreach (var user in waiting.Concat(sessions.Left()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Log.SessionRevocationLeftAtStop(_logger, Name, user);
        }
    }

    /// <summary>Called under the lock after a confirmed write: queues the users the core named.</summary>
    private void EndSessions()
    {
        if (_sessions is null || _core.SessionsToEnd.Count == 0)
        {
            return;
        }

        _sessions.Enqueue([.. _core.SessionsToEnd], _stopping.Token);
        _core.SessionsToEnd.Clear();
    }
}
