
namespace Knocknoc.Entra.Sdk;

/// <summary>When a failed write may be tried again: the failures in a row and the backoff they earned.</summary>
internal sealed class RetrySchedule(RetryBackoff backoff)
{
    public int Failures { get; private set; }

    /// <summary>Gets the earliest time the next write may leave (<see cref="DateTimeOffset.MinValue"/>: now).</summary>
    public DateTimeOffset NotBefore { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Notes a failure at <paramref name="now"/> and returns the wait it earned.</summary>
    public TimeSpan Failed(DateTimeOffset now, double jitter)
    {
        Failures++;
        var delay = backoff.Delay(Failures, jitter);
        NotBefore = now + delay;
        return delay;
    }

    /// <summary>A write went through (or was not needed): the next failure starts from the base delay again.</summary>
    public void Succeeded()
    {
        Failures = 0;
        NotBefore = DateTimeOffset.MinValue;
    }
}
