
namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// The <see cref="Microsoft.Extensions.Logging.EventId"/>s of failures (2000-2999): 2000 plus the ENTRA code's number,
/// so ENTRA052 is event 2052 and ENTRA000 is 2000 (never 0, which logging treats as "no event"); the event's name is
/// the code (<c>ENTRA052</c>). Each entry carries the code, the HTTP status, Graph's error code and both request ids
/// as structured fields (see <see cref="FailureFields"/>).
/// </summary>
public static class FailureEventId
{
    /// <summary>2000: the first failure event, ENTRA000's.</summary>
    public const int First = EntraErrorEntry.FirstEventId;

    /// <summary>2999: a failure whose code the SDK's catalogue does not know (only an out-of-range enum value).</summary>
    public const int Unknown = 2999;

    /// <summary>Gets the event id of the failure with <paramref name="code"/>.</summary>
    /// <param name="code">The ENTRA code.</param>
    /// <returns>2000 plus the code's number.</returns>
    public static int For(EntraErrorCode code) => First + (int)code;
}
