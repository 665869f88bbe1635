namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>A bad day the emulator can play on the next Graph requests (<see cref="EntraEmulator.FailNext"/>).</summary>
public enum EmulatedFault
{
    /// <summary>500 with Graph's error body.</summary>
    InternalServerError,

    /// <summary>503 with Graph's error body and <c>Retry-After</c>.</summary>
    ServiceUnavailable,

    /// <summary>504 without a body.</summary>
    GatewayTimeout,

    /// <summary>429 <c>TooManyRequests</c> without <c>Retry-After</c>.</summary>
    TooManyRequests,

    /// <summary>200 with a captive portal's HTML page instead of Graph's answer.</summary>
    CaptivePortalPage,

    /// <summary>The real answer, its JSON body cut in half.</summary>
    TruncatedJson,

    /// <summary>The connection drops before any answer; nothing is written.</summary>
    ConnectionReset,

    /// <summary>The call is carried out (a create creates, a PATCH writes), then the connection drops before the answer.</summary>
    ResponseLost,
}
