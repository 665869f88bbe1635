namespace Knocknoc.Entra.Sdk;

/// <summary>The precise cause of an <see cref="EntraErrorCode.AuthenticationFailed"/> (ENTRA001), when Entra said it.</summary>
public enum EntraAuthenticationFailure
{
    /// <summary>Entra refused the credentials without saying which part was wrong.</summary>
    Unspecified = 0,

    /// <summary>AADSTS7000215: the client secret is wrong (the secret's id was pasted instead of its value?).</summary>
    InvalidClientSecret,

    /// <summary>AADSTS7000222: the client secret has expired.</summary>
    ExpiredClientSecret,

    /// <summary>AADSTS700016: no application with this client id exists in the tenant.</summary>
    ApplicationNotFound,

    /// <summary>AADSTS90002: the tenant does not exist.</summary>
    TenantNotFound,

    /// <summary>The certificate or client assertion was refused (AADSTS700027 and kin).</summary>
    InvalidClientAssertion,

    /// <summary>The application is not allowed to use this grant (<c>unauthorized_client</c>).</summary>
    UnauthorizedClient,

    /// <summary>The managed identity endpoint is unavailable or refused the request.</summary>
    ManagedIdentityUnavailable,
}
