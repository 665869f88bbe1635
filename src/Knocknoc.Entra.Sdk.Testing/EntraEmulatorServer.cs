using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.Testing.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// The emulator as a real HTTPS server on loopback, so tests exercise sockets, TLS, timeouts and dropped
/// connections, and any Graph client can be pointed at it. It serves a certificate it generates; clients trust
/// that certificate explicitly (<see cref="CreateTrustingHandler"/>, or <see cref="CertificatePem"/> in a trust
/// store), never by turning validation off.
/// </summary>
public sealed class EntraEmulatorServer : IAsyncDisposable
{
    /// <summary>
    /// The path of the control surface: a JSON API on the same listener (faults, applications, locations, policies,
    /// settings, token expiry, journal, reset), answered to loopback peers only. Graph never uses this path.
    /// </summary>
    public const string ControlPath = "/_emulator/";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private int _disposed;

    private EntraEmulatorServer(WebApplication app, X509Certificate2 certificate, Uri baseAddress)
    {
        _app = app;
        _certificate = certificate;
        BaseAddress = baseAddress;
        Cloud = EntraCloud.Custom(baseAddress, baseAddress);
    }

    /// <summary>Gets the server's address, such as <c>https://127.0.0.1:49152/</c>: both the sign-in host and the Graph root.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the address of the control surface (<see cref="ControlPath"/> under <see cref="BaseAddress"/>).</summary>
    public Uri ControlAddress => new(BaseAddress, ControlPath);

    /// <summary>Gets the cloud to configure the SDK with.</summary>
    public EntraCloud Cloud { get; }

    /// <summary>Gets the server certificate (public part) in PEM, for a trust store or <c>SSL_CERT_FILE</c>.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>Starts serving <paramref name="emulator"/> on 127.0.0.1.</summary>
    /// <param name="emulator">The emulator to serve.</param>
    /// <param name="port">The port, or 0 for a free one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<EntraEmulatorServer> StartAsync(EntraEmulator emulator, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var certificate = EmulatorCertificate.Create();

        // An empty builder: no appsettings, no environment variables, no Kestrel section of the app under test.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var control = new EmulatorControl(emulator);
        try
        {
            app.Run(context => context.Request.Path.StartsWithSegments(ControlPath.TrimEnd('/'), StringComparison.Ordinal)
                ? ControlAsync(control, context)
                : ServeAsync(emulator, context));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetService(typeof(IServer)) is IServer server
                ? server.Features.Get<IServerAddressesFeature>()?.Addresses.Single()
                : null;
            return new EntraEmulatorServer(app, certificate, new Uri((address ?? throw new InvalidOperationException("Kestrel reported no address.")).TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A transport that trusts this server's certificate as its only root, with full validation (name, dates, chain),
    /// and never follows redirects: what the SDK's <c>Transport</c> option wants.
    /// </summary>
    /// <returns>A new handler.</returns>
    public HttpMessageHandler CreateTrustingHandler()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(_certificate.RawData));
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // A request parked on a fake clock (ResponseDelay) must not hold the stop for the host's whole shutdown timeout.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _certificate.Dispose();
        }
    }

    private static async Task ControlAsync(EmulatorControl control, HttpContext context)
    {
        // The listener is on loopback already; the check stands in case a proxy or a port forward ever fronts it.
        if (context.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var (status, json) = control.Handle(context.Request.Method, context.Request.Path.Value ?? ControlPath, body);
        context.Response.StatusCode = (int)status;
        if (json is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task ServeAsync(EntraEmulator emulator, HttpContext context)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri($"{incoming.Scheme}://{incoming.Host}{incoming.PathBase}{incoming.Path}{incoming.QueryString}"));
        using var body = new MemoryStream();
        await incoming.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0 || incoming.ContentLength is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (incoming.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var header in incoming.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
        }

        HttpResponseMessage response;
        try
        {
            response = await emulator.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // EmulatedFault.ConnectionReset: drop the connection with no answer at all.
            context.Abort();
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers)
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            if (response.Content is not null)
            {
                foreach (var header in response.Content.Headers)
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }

                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
