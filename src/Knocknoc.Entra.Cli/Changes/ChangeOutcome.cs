using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>What became of a queued change, as the process that drained it tells the process that queued it.</summary>
internal abstract record ChangeOutcome;

/// <summary>The change is in Entra (or already was).</summary>
/// <param name="LocationId">The location's id.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Written">Whether a PATCH carried this change (false when the location already was so).</param>
/// <param name="Together">How many queued changes that one PATCH carried.</param>
/// <param name="Added">What this change added (the sentinel's removal included).</param>
/// <param name="Removed">What it removed.</param>
/// <param name="Held">What the location holds after the write.</param>
internal sealed record ChangeApplied(string LocationId, string DisplayName, bool Written, int Together, CidrSet Added, CidrSet Removed, CidrSet Held) : ChangeOutcome;

/// <summary>The change was not applied and never will be; the message says why.</summary>
/// <param name="Code">The ENTRA code.</param>
/// <param name="Message">The whole message, as <see cref="EntraException"/> words it.</param>
internal sealed record ChangeFailed(EntraErrorCode Code, string Message) : ChangeOutcome
{
    /// <summary>The outcome of a change that failed with <paramref name="error"/>.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The outcome.</returns>
    public static ChangeFailed From(EntraException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ChangeFailed(error.Code, error.Message);
    }

    /// <summary>The outcome of a change that failed with <paramref name="code"/>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="detail">What happened.</param>
    /// <returns>The outcome.</returns>
    public static ChangeFailed From(EntraErrorCode code, string detail) => From(new EntraException(code, detail));
}

/// <summary>A queued change that failed: the command reports the message and exits with its code's family.</summary>
internal sealed class ChangeFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ChangeFailedException"/> class.</summary>
    public ChangeFailedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChangeFailedException"/> class.</summary>
    /// <param name="message">The message, code first.</param>
    public ChangeFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChangeFailedException"/> class.</summary>
    /// <param name="message">The message, code first.</param>
    /// <param name="innerException">The cause.</param>
    public ChangeFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChangeFailedException"/> class.</summary>
    /// <param name="failed">The drain's answer.</param>
    public ChangeFailedException(ChangeFailed failed)
        : base(failed?.Message ?? throw new ArgumentNullException(nameof(failed))) => Code = failed.Code;

    /// <summary>Gets the ENTRA code of the failure.</summary>
    public EntraErrorCode Code { get; } = EntraErrorCode.NamedLocationUpdateFailed;
}
