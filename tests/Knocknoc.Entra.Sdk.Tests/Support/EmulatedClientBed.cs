using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>A tenant with one app and a client configured as a host would, on the emulator and a fake clock.</summary>
internal sealed class EmulatedClientBed : IDisposable
{
    private readonly List<NamedLocationClient> _clients = [];

    public EmulatedClientBed(bool rateLimited = false, GraphPermissions permissions = GraphPermissions.All)
    {
        Emulator = new EntraEmulator(new EntraEmulatorOptions
        {
            TimeProvider = Time,
            RateLimitInterval = rateLimited ? TimeSpan.FromSeconds(1) : TimeSpan.Zero,
            MinimumPrefixLength = 10,
        });
        Tenant = Emulator.AddTenant();
        Application = Tenant.AddApplication(permissions);
        Client = ClientWith(EntraCredential.ClientSecret(Tenant.TenantId, Application.ClientId, Application.ClientSecret));
    }

    public AutoAdvancingTimeProvider Time { get; } = new();

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication Application { get; }

    public NamedLocationClient Client { get; }

    public NamedLocationClient ClientWith(EntraCredential credential, int maxRetryAttempts = 3)
    {
        var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = credential,
            Cloud = EntraEmulator.Cloud,
            Transport = Emulator.CreateHandler(),
            TimeProvider = Time,
            Resilience = { Random = new Random(5), MaxRetryAttempts = maxRetryAttempts, AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromHours(2) },
        });
        _clients.Add(client);
        return client;
    }

    public void Dispose() => _clients.ForEach(c => c.Dispose());
}
