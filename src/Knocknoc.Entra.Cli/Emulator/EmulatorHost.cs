using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Cli.Emulator;

/// <summary>
/// The emulator served on loopback HTTPS with a ready tenant: an app holding Policy.Read.All and
/// Policy.ReadWrite.ConditionalAccess, and the IP named location <c>knocknoc_demo</c> holding the sentinel. Writes the
/// certificate to trust to a PEM file, and removes that file on disposal when it chose the place itself.
/// </summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    /// <summary>The display name of the location created at start.</summary>
    public const string LocationName = "knocknoc_demo";

    private readonly EntraEmulatorServer _server;
    private readonly string? _ownDirectory;

    private EmulatorHost(EntraEmulator emulator, EntraEmulatorServer server, EmulatorFacts facts, string? ownDirectory)
    {
        Emulator = emulator;
        _server = server;
        Facts = facts;
        _ownDirectory = ownDirectory;
    }

    /// <summary>Gets the emulator behind the server.</summary>
    public EntraEmulator Emulator { get; }

    /// <summary>Gets what a client needs.</summary>
    public EmulatorFacts Facts { get; }

    /// <summary>Starts the server.</summary>
    /// <param name="port">The port on 127.0.0.1, or 0 for a free one.</param>
    /// <param name="certificateFile">Where to write the certificate, or null for a new temporary directory.</param>
    /// <param name="settings">The bad-day settings to start with.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host.</returns>
    public static async Task<EmulatorHost> StartAsync(int port, string? certificateFile, EmulatorSettings settings, CancellationToken cancellationToken)
    {
        // Graph's own rules and, unless told otherwise, its 1 request/s limit; ids and the secret are new every run.
        var options = new EntraEmulatorOptions { Seed = Random.Shared.Next() };
        settings.ApplyTo(options);
        var emulator = new EntraEmulator(options);
        var tenant = emulator.AddTenant();
        var application = tenant.AddApplication(GraphPermissions.PolicyReadAll | GraphPermissions.PolicyReadWriteConditionalAccess);
        var location = tenant.AddIpNamedLocation(LocationName, [NamedLocationGateOptions.DefaultSentinel.ToString()]);

        var server = await EntraEmulatorServer.StartAsync(emulator, port, cancellationToken).ConfigureAwait(false);
        string? ownDirectory = null;
        try
        {
            if (certificateFile is null)
            {
                ownDirectory = Directory.CreateTempSubdirectory("knocknoc-entra-emulator-").FullName;
                certificateFile = Path.Combine(ownDirectory, "emulator-certificate.pem");
            }
            else
            {
                certificateFile = Path.GetFullPath(certificateFile);
                if (Path.GetDirectoryName(certificateFile) is { Length: > 0 } directory)
                {
                    Directory.CreateDirectory(directory);
                }
            }

            await File.WriteAllTextAsync(certificateFile, server.CertificatePem, cancellationToken).ConfigureAwait(false);
            var root = server.BaseAddress;
            var facts = new EmulatorFacts(
                GraphUrl: root,
                AuthorityHost: root,
                TokenEndpoint: new Uri(root, $"{tenant.TenantId}/oauth2/v2.0/token"),
                Scope: "https://graph.microsoft.com/.default",
                TenantId: tenant.TenantId,
                ClientId: application.ClientId,
                ClientSecret: application.ClientSecret,
                LocationId: location.Id,
                LocationName: location.DisplayName,
                CertificateFile: certificateFile,
                RateLimitInterval: emulator.Options.RateLimitInterval.TotalSeconds,
                ControlUrl: server.ControlAddress);
            return new EmulatorHost(emulator, server, facts, ownDirectory);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            DeleteQuietly(ownDirectory);
            throw;
        }
    }

    /// <summary>Stops the server and removes the certificate file it placed in its own temporary directory.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        DeleteQuietly(_ownDirectory);
    }

    private static void DeleteQuietly(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover certificate in the temporary directory is harmless: it is public, and this run's only.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
