namespace Knocknoc.Entra.Sdk;

/// <summary>
/// When the gate reads the location next: the periodic drift check, the verification after a write, the late-write
/// check after a write whose outcome is unknown, or a caller's request; never before reads can be trusted.
/// </summary>
internal sealed class ReadSchedule(TimeSpan driftCheckInterval, TimeSpan readAfterWriteDelay, TimeSpan inFlightHorizon)
{
    public DateTimeOffset NextDriftAt { get; private set; } = DateTimeOffset.MaxValue;

    public DateTimeOffset? VerifyAt { get; private set; }

    // A write whose outcome is unknown (it failed, or the process before this one died with it in flight) may still
    // land until its attempt timed out: a read after that (and after reads can be trusted) repairs what it undid.
    public DateTimeOffset? LateWriteCheckAt { get; private set; }

    /// <summary>Gets or sets a value indicating whether a caller asked for a read (<c>CheckDriftAsync</c>).</summary>
    public bool Requested { get; set; }

    /// <summary>When the next read is due, given when reads can be trusted again.</summary>
    public DateTimeOffset DueAt(DateTimeOffset trustFrom)
    {
        var next = GateTime.Earliest(GateTime.Earliest(NextDriftAt, VerifyAt), LateWriteCheckAt);
        if (Requested)
        {
            next = DateTimeOffset.MinValue;
        }

        return next < trustFrom ? trustFrom : next;
    }

    public void Started(DateTimeOffset now) => NextDriftAt = GateTime.Add(now, driftCheckInterval);

    /// <summary>A write landed at <paramref name="now"/>: verify it once reads can show it, if asked to.</summary>
    public void Wrote(DateTimeOffset now, bool verify) => VerifyAt = verify ? GateTime.Add(now, readAfterWriteDelay) : null;

    /// <summary>A write sent at <paramref name="sentAt"/> may land until its attempt timed out: schedule the read that checks.</summary>
    public void WriteInDoubt(DateTimeOffset? sentAt)
    {
        if (sentAt is not { } sent)
        {
            return;
        }

        var check = GateTime.Add(GateTime.Add(sent, inFlightHorizon), readAfterWriteDelay);
        if (LateWriteCheckAt is not { } scheduled || scheduled < check)
        {
            LateWriteCheckAt = check;
        }
    }

    /// <summary>A read that began at <paramref name="now"/> ended (well or not): what it served is done.</summary>
    public void ReadDone(DateTimeOffset now, bool servedRequest)
    {
        Requested &= !servedRequest;
        VerifyAt = null;
        if (LateWriteCheckAt is { } late && late <= now)
        {
            LateWriteCheckAt = null;
        }

        NextDriftAt = GateTime.Add(now, driftCheckInterval);
    }
}
