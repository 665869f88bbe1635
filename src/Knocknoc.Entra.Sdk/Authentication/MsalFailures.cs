using System.Net;
using Microsoft.Identity.Client;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>Turns what MSAL throws into ENTRA codes, naming the precise cause of an ENTRA001 from Entra's AADSTS code.</summary>
internal static class MsalFailures
{
    public static EntraException Map(Exception exception)
    {
        if (Find<EntraException>(exception) is { } already)
        {
            // The token answer guard already named the failure, whether MSAL wrapped it or not.
            return already;
        }

        // Found anywhere in the chain: Azure.Identity wraps MSAL's exception in its own.
        var service = Find<MsalServiceException>(exception);
        if (service is not { StatusCode: >= 400 } && NetworkFailures.TryMap(exception, clientRequestId: null) is { } network)
        {
            return network;
        }

        if (service is { StatusCode: 429 })
        {
            return Failure(EntraErrorCode.Throttled, "the sign-in service is throttling this application", service, transient: true, cause: null);
        }

        if (service is { StatusCode: >= 500 })
        {
            return Failure(EntraErrorCode.ConnectionFailed, $"the sign-in service answered {service.StatusCode}", service, transient: true, cause: null);
        }

        if (IsGarbledAnswer(exception, service))
        {
            return Failure(
                EntraErrorCode.UnexpectedResponse,
                $"the sign-in service answered{(service is { StatusCode: > 0 } ? $" {service.StatusCode}" : string.Empty)} with something that is not Entra's JSON; a captive portal or a proxy may be answering in its place",
                exception,
                transient: true,
                cause: null);
        }

        var text = $"{service?.ResponseBody} {exception.Message}";
        var errorCode = Find<MsalException>(exception)?.ErrorCode;
        var (cause, detail) = text switch
        {
            _ when text.Contains("AADSTS7000215", StringComparison.Ordinal) =>
                (EntraAuthenticationFailure.InvalidClientSecret, "the client secret is wrong (AADSTS7000215): use the secret's value, not its id"),
            _ when text.Contains("AADSTS7000222", StringComparison.Ordinal) =>
                (EntraAuthenticationFailure.ExpiredClientSecret, "the client secret has expired (AADSTS7000222): create a new one under Certificates & secrets"),
            _ when text.Contains("AADSTS700016", StringComparison.Ordinal) =>
                (EntraAuthenticationFailure.ApplicationNotFound, "no application with this client id exists in the tenant (AADSTS700016)"),
            _ when text.Contains("AADSTS90002", StringComparison.Ordinal) =>
                (EntraAuthenticationFailure.TenantNotFound, "the tenant was not found (AADSTS90002): check the tenant id and the cloud"),
            _ when text.Contains("AADSTS700027", StringComparison.Ordinal) || text.Contains("AADSTS700024", StringComparison.Ordinal) =>
                (EntraAuthenticationFailure.InvalidClientAssertion, "the certificate or client assertion was refused"),
            _ when errorCode == "unauthorized_client" =>
                (EntraAuthenticationFailure.UnauthorizedClient, "the application is not allowed to use the client credentials grant (unauthorized_client)"),
            _ when errorCode?.StartsWith("managed_identity", StringComparison.Ordinal) == true =>
                (EntraAuthenticationFailure.ManagedIdentityUnavailable, $"the managed identity endpoint failed ({errorCode})"),
            _ => (EntraAuthenticationFailure.Unspecified, $"Entra refused the credentials ({errorCode ?? exception.GetType().Name})"),
        };

        return Failure(EntraErrorCode.AuthenticationFailed, detail, exception, transient: false, cause);
    }

    /// <summary>
    /// Whether MSAL could not read the answer at all: its own code for an unreadable error answer, or a JSON parser
    /// failure anywhere inside. Nothing was refused; something other than Entra answered, or the answer was cut.
    /// </summary>
    private static bool IsGarbledAnswer(Exception exception, MsalServiceException? service) =>
        service?.ErrorCode is MsalError.NonParsableOAuthError or MsalError.JsonParseError
        || Find<System.Text.Json.JsonException>(exception) is not null;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static EntraException Failure(EntraErrorCode code, string detail, Exception exception, bool transient, EntraAuthenticationFailure? cause)
    {
        var service = Find<MsalServiceException>(exception);
        return new EntraException(
            new EntraFailure(code)
            {
                Detail = detail,
                StatusCode = service is { StatusCode: > 0 } ? (HttpStatusCode)service.StatusCode : null,
                GraphErrorCode = Find<MsalException>(exception)?.ErrorCode,
                RequestId = service?.CorrelationId,
                IsTransient = transient,
                AuthenticationFailure = cause,
            },
            exception);
    }
}
