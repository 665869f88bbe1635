using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// Awaits work that may wait on a timer longer than an auto-advancing clock fires by itself (a deferred start, a write's
/// backoff): after a second of real waiting, emulated time moves on a second at a time until the work ends, as time
/// would for a real host. Work still open after <c>limit</c> of real time never ends: <see cref="TimeoutException"/>.
/// </summary>
internal static class TimePasses
{
    public static async Task WhileAsync(AutoAdvancingTimeProvider clock, Task work, TimeSpan limit)
    {
        if (!await PassAsync(clock, () => Task.FromResult(work.IsCompleted), limit, work))
        {
            throw new TimeoutException();
        }

        await work;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, emulated time passing as it does in <see cref="WhileAsync"/>
    /// (what the background settles after a Graph fault waits on its backoff); false when it still does not hold
    /// after <paramref name="limit"/> of real time.
    /// </summary>
    public static Task<bool> UntilAsync(AutoAdvancingTimeProvider clock, Func<Task<bool>> condition, TimeSpan limit) =>
        PassAsync(clock, condition, limit, Task.Delay(Timeout.Infinite));

    // Checks the condition again every 20 ms, or as soon as `wake` ends; emulated time moves a second per 100 ms.
    private static async Task<bool> PassAsync(AutoAdvancingTimeProvider clock, Func<Task<bool>> condition, TimeSpan limit, Task wake)
    {
        var started = TimeProvider.System.GetTimestamp();
        var skipped = TimeSpan.Zero;
        while (!await condition())
        {
            var waited = TimeProvider.System.GetElapsedTime(started);
            if (waited > limit)
            {
                return false;
            }

            if (waited - skipped > TimeSpan.FromSeconds(1.1))
            {
                clock.Skip(TimeSpan.FromSeconds(1));
                skipped = waited - TimeSpan.FromSeconds(1);
            }

            await Task.WhenAny(wake, Task.Delay(20));
        }

        return true;
    }
}
