using System.Collections;
using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Diagnostics;

/// <summary>
/// Logs a failure under its ENTRA code: event <see cref="FailureEventId.For"/>, named after the code, at the catalogue
/// row's level, with the facts of <see cref="EntraException"/> as structured fields (<see cref="FailureFields"/>) so a
/// host can alert on a status or hand Microsoft a request id without parsing text. The message stays the exception's
/// own, which already names those facts.
/// </summary>
internal static class FailureLog
{
    private const string Template = "{Message}";

    // One EventId per row of the ENTRA catalogue, built from the table: a new code is logged the moment it has its row.
    private static readonly FrozenDictionary<EntraErrorCode, (EventId Id, LogLevel Level)> Events =
        EntraErrorCatalog.Entries.ToFrozenDictionary(row => row.Code, row => (new EventId(row.EventId, row.Name), row.LogLevel));

    private static readonly (EventId Id, LogLevel Level) UnknownEvent = (new EventId(FailureEventId.Unknown, "ENTRA"), LogLevel.Error);

    public static void Failure(ILogger logger, EntraException exception)
    {
        var (id, level) = Events.GetValueOrDefault(exception.Code, UnknownEvent);
        if (logger.IsEnabled(level))
        {
            logger.Log(level, id, new State(exception), exception, static (state, _) => state.Exception.Message);
        }
    }

    /// <summary>The entry's structured state: the fields in a fixed order, then the template (as generated loggers do).</summary>
    private sealed class State(EntraException exception) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public EntraException Exception => exception;

        public int Count => 7;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new(FailureFields.Code, exception.CodeText),
            1 => new(FailureFields.Status, exception.StatusCode is { } status ? (int)status : null),
            2 => new(FailureFields.GraphErrorCode, Shown(exception.GraphErrorCode)),
            3 => new(FailureFields.RequestId, Shown(exception.RequestId)),
            4 => new(FailureFields.ClientRequestId, Shown(exception.ClientRequestId)),
            5 => new(FailureFields.Message, exception.Message),
            6 => new("{OriginalFormat}", Template),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => exception.Message;

        // Graph's words: shown escaped and capped, like any text the SDK did not write; absent stays null (not "(null)").
        private static ShownText? Shown(string? text) => text is null ? default(ShownText?) : ShownText.FromString(text);
    }
}
