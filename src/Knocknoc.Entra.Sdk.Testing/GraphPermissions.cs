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
}
