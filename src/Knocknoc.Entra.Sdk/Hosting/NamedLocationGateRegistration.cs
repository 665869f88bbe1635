namespace Knocknoc.Entra.Sdk;

/// <summary>
/// One gate registered with <c>AddNamedLocationGate</c>: a marker in the service collection, so the registry and the
/// hosted service find every gate (and a second registration of a name is caught) without scanning keyed services.
/// </summary>
/// <param name="Name">The gate's name, its service key.</param>
internal sealed record NamedLocationGateRegistration(string Name)
{
    /// <summary>The name of the gate's <c>HttpClient</c> registration, whose handler chain is the gate's transport.</summary>
    public string HttpClientName => ForHttpClient(Name);

    /// <summary>
    /// Gets or sets the roots the gate's options trust, taken when its options are completed and before its handler
    /// chain is built, so the primary handler can trust them without reading the options it is part of.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>The name of the <c>HttpClient</c> registration of the gate called <paramref name="gateName"/>.</summary>
    public static string ForHttpClient(string gateName) => "Knocknoc.Entra.Gate." + gateName;
}
