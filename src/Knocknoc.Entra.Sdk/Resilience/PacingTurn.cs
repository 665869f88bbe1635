namespace Knocknoc.Entra.Sdk;

/// <summary>
/// One request's turn in its tenant's pacing, from its slot until its answer. The pacing strategy says when the
/// request leaves and when its answer's headers arrive; the next request's slot is then one interval plus the margin
/// after the later of the two, because Graph may count the request at any moment in between.
/// </summary>
/// <remarks>
/// Disposing ends the turn. A request that left and never got an answer (a timeout, a lost connection, a
/// cancellation) may still have reached Graph at any moment until then, so it counts as answered at the end of the
/// turn.
/// </remarks>
internal sealed class PacingTurn : IDisposable
{
    private readonly TenantRateLimiter _limiter;
    private readonly TimeSpan _gap;
    private bool _inFlight;
    private bool _ended;

    internal PacingTurn(TenantRateLimiter limiter, TimeSpan gap, TimeSpan waited)
    {
        _limiter = limiter;
        _gap = gap;
        Waited = waited;

        // Pacing off: the turn was never held.
        _ended = gap <= TimeSpan.Zero;
    }

    /// <summary>Gets how long the request waited for its turn and slot.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The request is leaving now: nobody goes before one interval and the margin from now, answer or not.</summary>
    public void Sending()
    {
        if (!_ended)
        {
            _inFlight = true;
            _limiter.HoldOff(_gap);
        }
    }

    /// <summary>The answer's headers arrived (or the send failed): the next slot is one interval and the margin from now.</summary>
    public void Answered()
    {
        if (!_ended && _inFlight)
        {
            _inFlight = false;
            _limiter.HoldOff(_gap);
        }
    }

    /// <summary>Ends the turn; a request still in flight counts as answered now.</summary>
    public void Dispose()
    {
        if (_ended)
        {
            return;
        }

        Answered();
        _ended = true;
        _limiter.EndTurn();
    }
}
