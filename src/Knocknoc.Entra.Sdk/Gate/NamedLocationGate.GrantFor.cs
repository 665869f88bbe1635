using System.Net;

namespace Knocknoc.Entra.Sdk;

/// <content>Grants for a lifetime, from the gate's own clock (so emulated time in tests moves them too).</content>
public sealed partial class NamedLocationGate
{
    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, IPAddress address, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        GrantAsync(grantId, address, GrantLifetime.ExpiryAfter(_time.GetUtcNow(), lifetime), cancellationToken);

    /// <inheritdoc/>
    public Task<Grant> GrantAsync(string grantId, string address, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        GrantAsync(grantId, address, GrantLifetime.ExpiryAfter(_time.GetUtcNow(), lifetime), cancellationToken);
}
