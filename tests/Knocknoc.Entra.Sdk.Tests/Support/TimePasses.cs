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
        var started = TimeProvider.System.GetTimestamp();
        while (await Task.WhenAny(work, Task.Delay(100)) != work)
        {
            var waited = TimeProvider.System.GetElapsedTime(started);
            if (waited > limit)
            {
                throw new TimeoutException();
            }

            if (waited > TimeSpan.FromSeconds(1))
            {
                clock.Skip(TimeSpan.FromSeconds(1));
            }
        }

        await work;
    }
}
