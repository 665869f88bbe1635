using System.Net;
using Knocknoc.Entra.Sdk.Errors;
using Microsoft.Identity.Client;

namespace Knocknoc.Entra.Sdk.Authentication;

/// <summary>Turns what MSAL throws into ENTRA codes, naming the precise cause of an ENTRA001 from Entra's AADSTS code.</summary>
internal static class MsalFailures
{
    public static EntraException Map(Exception exception)
    {
        var service = exception as MsalServiceException;
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

        var text = $"{service?.ResponseBody} {exception.Message}";
        var errorCode = (exception as MsalException)?.ErrorCode;
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

    private static EntraException Failure(EntraErrorCode code, string detail, Exception exception, bool transient, EntraAuthenticationFailure? cause)
    {
        var service = exception as MsalServiceException;
        return new EntraException(
            new EntraFailure(code)
            {
                Detail = detail,
                StatusCode = service is { StatusCode: > 0 } ? (HttpStatusCode)service.StatusCode : null,
                GraphErrorCode = (exception as MsalException)?.ErrorCode,
                RequestId = service?.CorrelationId,
                IsTransient = transient,
                AuthenticationFailure = cause,
            },
            exception);
    }
}
