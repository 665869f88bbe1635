namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// Waits for something the SDK does in the background (a write after an expiry fires) to show. It polls in real time
/// up to a generous bound; the bound is a hang guard, not a timing assertion.
/// </summary>
internal static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = Environment.TickCount64 + (long)(within ?? TimeSpan.FromSeconds(20)).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }
}
