namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>The Microsoft Graph application permissions (admin-consented) the emulator checks.</summary>
[Flags]
public enum GraphPermissions
{
    /// <summary>No permission: every Graph call is refused with 403.</summary>
    None = 0,

    /// <summary>Policy.Read.All: read named locations and policies.</summary>
    PolicyReadAll = 1,

    /// <summary>Policy.ReadWrite.ConditionalAccess: also create, update and delete named locations.</summary>
    PolicyReadWriteConditionalAccess = 2,

    /// <summary>Both, as the SDK's documentation asks.</summary>
    All = PolicyReadAll | PolicyReadWriteConditionalAccess,

    /// <summary>User.RevokeSessions.All: end users' sign-in sessions (<c>revokeSignInSessions</c>), for opt-in session revocation.</summary>
    UserRevokeSessionsAll = 4,

    /// <summary>Policy.Read.ConditionalAccess: read Conditional Access objects and run What If (<c>evaluate</c>), nothing else.</summary>
    PolicyReadConditionalAccess = 8,
}
