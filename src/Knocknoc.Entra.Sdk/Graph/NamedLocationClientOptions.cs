using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.Authentication;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>What <see cref="NamedLocationClient.Create"/> builds a client from.</summary>
public sealed class NamedLocationClientOptions
{
    /// <summary>Gets or sets how the app signs in. Required unless <see cref="TokenSource"/> is set.</summary>
    /// <value>The default value is null.</value>
    public EntraCredential? Credential { get; set; }

    /// <summary>Gets or sets a token source to use instead of MSAL with <see cref="Credential"/>.</summary>
    /// <value>The default value is null: MSAL with <see cref="Credential"/>.</value>
    public IAccessTokenSource? TokenSource { get; set; }

    /// <summary>Gets or sets the cloud: sign-in host and Graph root together.</summary>
    /// <value>The default value is <see cref="EntraCloud.Global"/>.</value>
    public EntraCloud Cloud { get; set; } = EntraCloud.Global;

    /// <summary>Gets or sets retries, timeouts and the tenant's request pacing.</summary>
    /// <value>The default value is a new <see cref="GraphResilienceOptions"/> with its documented defaults.</value>
    public GraphResilienceOptions Resilience { get; set; } = new();

    /// <summary>Gets or sets the clock for delays, timeouts and pacing.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets where logs go.</summary>
    /// <value>The default value is null: no logging.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Gets or sets the typed event hook: retries, throttling, pacing waits. See <see cref="Diagnostics.EntraEventObserver"/>.
    /// </summary>
    /// <value>The default value is null: no observer.</value>
    public Diagnostics.EntraEventObserver? Events { get; set; }

    /// <summary>
    /// Gets or sets the only roots the SDK's own transport trusts, for Graph and sign-in alike: a private CA in front
    /// of a custom endpoint (a TLS-inspecting proxy, an emulator's certificate). The server's chain must end in one of
    /// them; its name and dates are checked as always, and nothing else is trusted (the machine's roots are not used).
    /// A <see cref="Transport"/> you set decides trust itself, and these are then not used.
    /// </summary>
    /// <value>The default value is null: the machine's trusted roots.</value>
    public X509Certificate2Collection? TrustedRootCertificates { get; set; }

    /// <summary>
    /// Gets or sets the transport both Graph and token traffic go through (a test handler, an emulator, a proxy).
    /// It is not disposed with the client. It should not follow redirects.
    /// </summary>
    /// <value>The default value is null: a <see cref="SocketsHttpHandler"/> that never follows redirects.</value>
    public HttpMessageHandler? Transport { get; set; }

    /// <summary>
    /// Gets or sets whether <see cref="Transport"/> already runs Graph calls through the SDK's resilience pipeline: a
    /// gate's transport from a host's <c>IHttpClientBuilder</c>, where the resilience handler is one of the client's.
    /// </summary>
    internal bool TransportHasGraphPipeline { get; set; }
}
