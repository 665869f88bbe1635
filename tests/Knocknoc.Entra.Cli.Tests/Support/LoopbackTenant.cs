using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Tests.Support;

/// <summary>
/// The emulator served in this test process on loopback HTTPS, with a tenant, an app and a location, and what the
/// tool needs to reach it: the certificate as a PEM file the tool trusts through <c>SSL_CERT_FILE</c> (the machine's
/// trust, as on Linux), the app's settings in environment variables, the endpoints as options.
/// </summary>
internal sealed class LoopbackTenant : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;

    private LoopbackTenant(EntraEmulator emulator, EmulatedTenant tenant, EmulatedApplication application, EntraEmulatorServer server, DirectoryInfo directory)
    {
        Emulator = emulator;
        Tenant = tenant;
        Application = application;
        Server = server;
        _directory = directory;
    }

    public EntraEmulator Emulator { get; }

    public EmulatedTenant Tenant { get; }

    public EmulatedApplication Application { get; }

    public EntraEmulatorServer Server { get; }

    public string Directory => _directory.FullName;

    public string CertificateFile => Path.Combine(Directory, "emulator.pem");

    public static async Task<LoopbackTenant> StartAsync(bool rateLimited = false, TimeSpan consistencyWindow = default, TimeProvider? time = null, Action<EntraEmulatorOptions>? configure = null)
    {
        var options = new EntraEmulatorOptions
        {
            RateLimitInterval = rateLimited ? TimeSpan.FromSeconds(1) : TimeSpan.Zero,

            // The tool's tests wait on the rate limit as long as Graph says and no longer: a fractional Retry-After,
            // as Graph has been seen to send. Without it (the emulator's default, as current docs describe) the SDK
            // backs off on its own, which its own tests cover, at a cost of seconds per throttled call here.
            RetryAfter = EmulatedRetryAfter.FractionalSeconds,
            ConsistencyWindow = consistencyWindow,
            TimeProvider = time ?? TimeProvider.System,
        };
        configure?.Invoke(options);
        var emulator = new EntraEmulator(options);
        var tenant = emulator.AddTenant();
        var application = tenant.AddApplication();
        var server = await EntraEmulatorServer.StartAsync(emulator);
        var directory = System.IO.Directory.CreateTempSubdirectory("knocknoc-cli-tests-");
        var started = new LoopbackTenant(emulator, tenant, application, server, directory);
        await File.WriteAllTextAsync(started.CertificateFile, server.CertificatePem);
        return started;
    }

    /// <summary>The environment the tool runs in: trust, app settings, and nothing of the user's own configuration.</summary>
    public Dictionary<string, string?> Environment(string? locationId = null) => new()
    {
        ["SSL_CERT_FILE"] = CertificateFile,
        ["SSL_CERT_DIR"] = null,
        ["KNOCKNOC_ENTRA_CONFIG"] = null,
        ["KNOCKNOC_ENTRA_TENANT_ID"] = Tenant.TenantId,
        ["KNOCKNOC_ENTRA_CLIENT_ID"] = Application.ClientId,
        ["KNOCKNOC_ENTRA_CLIENT_SECRET"] = Application.ClientSecret,
        ["KNOCKNOC_ENTRA_LOCATION_ID"] = locationId,
        ["KNOCKNOC_ENTRA_LOCATION_NAME"] = null,
        ["KNOCKNOC_ENTRA_STATE_DIR"] = Path.Combine(Directory, "state"),
    };

    /// <summary>The command line: the command, then the endpoints.</summary>
    public string[] Arguments(params string[] command) =>
        [.. command, "--graph-url", Server.BaseAddress.ToString(), "--authority-host", Server.BaseAddress.ToString()];

    public int Patches => Emulator.Journal.Count(entry => entry.Method == "PATCH");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
