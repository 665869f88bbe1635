#region snippet:setup-handling-errors
using Knocknoc.Entra.Sdk;
#endregion

namespace Knocknoc.Entra.DocSnippets.Setup;

/// <summary>docs/error-codes.md: what a host reads from an EntraException.</summary>
public static class HandlingErrors
{
    public static async Task GrantAsync(INamedLocationGate gate, string sessionId, string address, DateTimeOffset until)
    {
        #region snippet:setup-handling-errors
        try
        {
            await gate.GrantAsync(sessionId, address, until);
        }
        catch (EntraException error) when (error.Code is EntraErrorCode.GrantRefused or EntraErrorCode.CapacityExceeded)
        {
            // ENTRA059 / ENTRA058: refused as asked; tell the user, trying again will not help.
            Console.Error.WriteLine($"{error.CodeText}: {error.Message}");
        }
        catch (EntraException error)
        {
            // Anything else: a started gate keeps the grant and retries the write until Entra has it; a gate
            // that could not start (GetState().IsStarted is false) recorded nothing.
            Console.Error.WriteLine(
                $"{error.CodeText} transient={error.IsTransient} status={(int?)error.StatusCode} graph-code={error.GraphErrorCode} " +
                $"request-id={error.RequestId} client-request-id={error.ClientRequestId} cause={error.AuthenticationFailure}");
        }
        #endregion
    }
}
