
namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>What a Graph call was doing: decides which ENTRA code a failed answer gets.</summary>
internal enum GraphOperation
{
    ReadLocation,
    ListLocations,
    UpdateLocation,
    CreateLocation,
    DeleteLocation,
    ListPolicies,
    RevokeSignInSessions,
    EvaluateWhatIf,
}

internal static class GraphOperationCodes
{
    public static EntraErrorCode FailureCode(this GraphOperation operation) => operation switch
    {
        GraphOperation.ReadLocation or GraphOperation.ListLocations => EntraErrorCode.NamedLocationReadFailed,
        GraphOperation.UpdateLocation => EntraErrorCode.NamedLocationUpdateFailed,
        GraphOperation.CreateLocation => EntraErrorCode.NamedLocationCreateFailed,
        GraphOperation.DeleteLocation => EntraErrorCode.NamedLocationDeleteFailed,
        GraphOperation.RevokeSignInSessions => EntraErrorCode.SessionRevocationFailed,
        GraphOperation.EvaluateWhatIf => EntraErrorCode.WhatIfEvaluationFailed,
        _ => EntraErrorCode.PolicyReadFailed,
    };

    /// <summary>
    /// The one success status Graph answers with. Any other 2xx is not Graph's (a captive portal answers 200 to
    /// everything), and believing it would let a revocation look written when it was not.
    /// </summary>
    public static System.Net.HttpStatusCode ExpectedStatus(this GraphOperation operation) => operation switch
    {
        GraphOperation.UpdateLocation or GraphOperation.DeleteLocation => System.Net.HttpStatusCode.NoContent,
        GraphOperation.CreateLocation => System.Net.HttpStatusCode.Created,
        _ => System.Net.HttpStatusCode.OK,
    };

    /// <summary>
    /// Whether every refusal but a failed sign-in keeps the operation's own code: these calls need permissions of their
    /// own (User.RevokeSessions.All, Policy.Read.ConditionalAccess), so a 403 must not read as the location's ENTRA002.
    /// </summary>
    public static bool HasOwnCode(this GraphOperation operation) =>
        operation is GraphOperation.RevokeSignInSessions or GraphOperation.EvaluateWhatIf;

    /// <summary>Whether the call is off the Conditional Access budget of 1 request per second (the directory throttles it).</summary>
    public static bool IsOffConditionalAccessBudget(this GraphOperation operation) =>
        operation is GraphOperation.RevokeSignInSessions;

    public static bool TargetsOneLocation(this GraphOperation operation) =>
        operation is GraphOperation.ReadLocation or GraphOperation.UpdateLocation or GraphOperation.DeleteLocation;
}
