using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Hands an event to the host's <see cref="EntraEventObserver"/>, if any: the one place an observer is called, so one
/// that throws is logged (event <see cref="GraphEventId.ObserverFailed"/>) and never breaks a call or the write loop.
/// </summary>
internal static class ObservedEvents
{
    public static void Raise<TEvent>(EntraEventObserver? observer, ILogger logger, Action<EntraEventObserver, TEvent> call, TEvent observed)
    {
        if (observer is null)
        {
            return;
        }

        try
        {
            call(observer, observed);
        }
#pragma warning disable CA1031 // The host's code: whatever it throws, the SDK's own work goes on.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Log.ObserverFailed(logger, observer.GetType().Name, typeof(TEvent).Name, error);
        }
    }
}
