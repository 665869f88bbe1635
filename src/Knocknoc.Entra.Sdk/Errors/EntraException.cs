using System.Globalization;
using System.Net;
using System.Text;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// A failure talking to Entra, with its ENTRA code and everything needed to trace it. The message reads
/// <c>(agent error #ENTRA052) Entra Named Location not found. …what to check…</c>. It never holds a secret or a token.
/// </summary>
public sealed class EntraException : Exception
{
    /// <summary>Creates an exception for <paramref name="code"/> with the catalogue's message.</summary>
    /// <param name="code">The ENTRA code.</param>
    public EntraException(EntraErrorCode code)
        : this(code, detail: null, innerException: null)
    {
    }

    /// <summary>Creates an exception for <paramref name="code"/>, adding <paramref name="detail"/> to the message.</summary>
    /// <param name="code">The ENTRA code.</param>
    /// <param name="detail">What exactly went wrong (never a secret).</param>
    /// <param name="innerException">The underlying failure.</param>
    public EntraException(EntraErrorCode code, string? detail, Exception? innerException = null)
        : this(new EntraFailure(code) { Detail = detail }, innerException)
    {
    }

    internal EntraException(EntraFailure failure, Exception? innerException)
        : base(Compose(failure), innerException)
    {
        Code = failure.Code;
        StatusCode = failure.StatusCode;
        GraphErrorCode = failure.GraphErrorCode;
        RequestId = failure.RequestId;
        ClientRequestId = failure.ClientRequestId;
        IsTransient = failure.IsTransient;
        AuthenticationFailure = failure.AuthenticationFailure;
    }

    /// <summary>Creates an exception for the ENTRA054 code, as serializers and frameworks expect a parameterless constructor.</summary>
    public EntraException()
        : this(EntraErrorCode.UnexpectedResponse)
    {
    }

    /// <summary>Creates an exception for the ENTRA054 code with a message detail.</summary>
    /// <param name="message">What went wrong.</param>
    public EntraException(string message)
        : this(EntraErrorCode.UnexpectedResponse, message)
    {
    }

    /// <summary>Creates an exception for the ENTRA054 code with a message detail and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public EntraException(string message, Exception innerException)
        : this(EntraErrorCode.UnexpectedResponse, message, innerException)
    {
    }

    /// <summary>Gets the ENTRA code.</summary>
    public EntraErrorCode Code { get; }

    /// <summary>Gets the code as operators see it, such as <c>ENTRA052</c>.</summary>
    public string CodeText => EntraErrorCatalog.Format(Code);

    /// <summary>Gets the HTTP status Graph or the sign-in host answered with, when there was an answer.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets Graph's <c>error.code</c> (such as <c>AccessDenied</c>) or the token endpoint's error (such as <c>invalid_client</c>).</summary>
    public string? GraphErrorCode { get; }

    /// <summary>Gets the <c>request-id</c> Graph assigned to the call: what Microsoft support asks for.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the <c>client-request-id</c> the SDK sent with the call.</summary>
    public string? ClientRequestId { get; }

    /// <summary>Gets a value indicating whether trying again later may succeed (throttling, outages, timeouts).</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the precise cause of an ENTRA001, when Entra said it.</summary>
    public EntraAuthenticationFailure? AuthenticationFailure { get; }

    private static string Compose(EntraFailure failure)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"(agent error #{EntraErrorCatalog.Format(failure.Code)}) {EntraErrorCatalog.Describe(failure.Code)}.");
        if (!string.IsNullOrEmpty(failure.Detail))
        {
            text.Append(' ').Append(failure.Detail.TrimEnd('.')).Append('.');
        }

        text.Append(' ').Append(EntraErrorCatalog.Advise(failure.Code));
        var facts = new List<string>();
        if (failure.StatusCode is { } status)
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}"));
        }

        if (failure.GraphErrorCode is { Length: > 0 } graphCode)
        {
            facts.Add($"code {graphCode}");
        }

        if (failure.RequestId is { Length: > 0 } requestId)
        {
            facts.Add($"request-id {requestId}");
        }

        if (failure.ClientRequestId is { Length: > 0 } clientRequestId)
        {
            facts.Add($"client-request-id {clientRequestId}");
        }

        if (facts.Count > 0)
        {
            text.Append(" [").AppendJoin(", ", facts).Append(']');
        }

        return text.ToString();
    }
}

/// <summary>The facts an <see cref="EntraException"/> is built from, gathered where the failure is understood.</summary>
internal sealed record EntraFailure(EntraErrorCode Code)
{
    public string? Detail { get; init; }

    public HttpStatusCode? StatusCode { get; init; }

    public string? GraphErrorCode { get; init; }

    public string? RequestId { get; init; }

    public string? ClientRequestId { get; init; }

    public bool IsTransient { get; init; }

    public EntraAuthenticationFailure? AuthenticationFailure { get; init; }
}
