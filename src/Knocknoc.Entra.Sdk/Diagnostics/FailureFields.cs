namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The names of the structured fields on every failure log entry (<see cref="FailureEventId"/>), as a logging provider
/// sees them in the entry's state. A field with nothing to say (no HTTP answer, no request id) is null.
/// </summary>
public static class FailureFields
{
    /// <summary>The ENTRA code as operators see it, such as <c>ENTRA052</c>.</summary>
    public const string Code = "Code";

    /// <summary>The HTTP status Graph or the sign-in host answered with (an <see cref="int"/>), or null.</summary>
    public const string Status = "Status";

    /// <summary>Graph's <c>error.code</c> (such as <c>AccessDenied</c>) or the token endpoint's error, or null.</summary>
    public const string GraphErrorCode = "GraphErrorCode";

    /// <summary>The <c>request-id</c> Graph assigned to the call, or null.</summary>
    public const string RequestId = "RequestId";

    /// <summary>The <c>client-request-id</c> the SDK sent with the call, or null.</summary>
    public const string ClientRequestId = "ClientRequestId";

    /// <summary>The exception's message: what went wrong and what to check.</summary>
    public const string Message = "Message";
}
