using Knocknoc.Entra.Cli.Locations;
using Knocknoc.Entra.Cli.State;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Graph;

namespace Knocknoc.Entra.Cli.Changes;

/// <summary>The location a queue's changes go to: by id, or by exact display name (found at drain time).</summary>
/// <param name="Id">The id, when known.</param>
/// <param name="Name">The display name, when the id is not known.</param>
internal sealed record LocationTarget(string? Id, string? Name)
{
    /// <summary>The location's id: the known one, or the one location with the name.</summary>
    /// <param name="client">The client.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The id, safe to name a state directory.</returns>
    /// <exception cref="EntraException">ENTRA052 or ENTRA061 from the lookup; ENTRA054 for an id no Graph gives.</exception>
    public async Task<string> ResolveAsync(INamedLocationClient client, CancellationToken cancellationToken)
    {
        var id = Id ?? await LocationEditor.FindIdAsync(client, Name!, cancellationToken).ConfigureAwait(false);
        return StateDirectory.IsSafeName(id)
            ? id
            : throw new EntraException(EntraErrorCode.UnexpectedResponse, "Graph gave a location id with characters its ids never have");
    }
}
