namespace Knocknoc.Entra.Sdk;

/// <summary>
/// The SDK's one backoff for its own loops (the gate's write loop, the hosted service's start retry): from
/// <see cref="BaseDelay"/>, doubling per failure up to <see cref="MaxDelay"/>, with full jitter over the upper half
/// so several gates that failed together do not retry together. Never longer than the doubling without jitter, never
/// shorter than half of it. Pure: the caller supplies the random draw, so a seeded source reproduces every delay.
/// </summary>
/// <param name="BaseDelay">The ceiling of the first wait.</param>
/// <param name="MaxDelay">The ceiling every later wait stops doubling at.</param>
internal readonly record struct RetryBackoff(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 for the first).</summary>
    /// <param name="failures">How many attempts failed in a row, at least 1.</param>
    /// <param name="jitter">A draw in [0, 1), such as <see cref="Random.NextDouble"/>.</param>
    /// <returns>A wait in [ceiling / 2, ceiling].</returns>
    public TimeSpan Delay(int failures, double jitter)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (jitter / 2)));
    }
}
