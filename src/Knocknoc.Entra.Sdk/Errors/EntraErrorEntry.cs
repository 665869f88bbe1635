using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk;

/// <summary>One row of <see cref="EntraErrorCatalog"/>: an ENTRA code, its name, description and advice, and how it is logged.</summary>
internal sealed class EntraErrorEntry
{
    public EntraErrorEntry(EntraErrorCode code, string description, string advice, LogLevel logLevel)
    {
        Code = code;
        Description = description;
        Advice = advice;
        LogLevel = logLevel;
    }

    /// <summary>Gets the code.</summary>
    public EntraErrorCode Code { get; }

    /// <summary>Gets the code as operators see it, such as <c>ENTRA052</c>; also the log entry's event name.</summary>
    public string Name => EntraErrorCatalog.Format(Code);

    /// <summary>The event id of ENTRA000's log entry; every code's is this plus its number (never 0, which logging treats as "no event").</summary>
    public const int FirstEventId = 2000;

    /// <summary>Gets the event id of the log entry reporting the code: 2000 plus the code's number (<see cref="Diagnostics.FailureEventId"/>).</summary>
    public int EventId => FirstEventId + (int)Code;

    /// <summary>Gets the one-line description, such as "Entra Named Location not found".</summary>
    public string Description { get; }

    /// <summary>Gets what to check first when the code appears.</summary>
    public string Advice { get; }

    /// <summary>Gets the level the SDK logs the code at: an error, but for a state file set aside, a warning.</summary>
    public LogLevel LogLevel { get; }
}
