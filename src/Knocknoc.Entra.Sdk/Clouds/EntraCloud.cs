using System.Net;
using Knocknoc.Entra.Sdk.Diagnostics;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// A Microsoft cloud: its sign-in (authority) host and Graph root, always chosen together because tokens
/// do not cross clouds. Custom endpoints serve emulators and proxies.
/// </summary>
public sealed class EntraCloud
{
    private const string DefaultScopeSuffix = "/.default";

    private EntraCloud(string name, Uri authorityHost, Uri graphRoot, bool isKnown, string? graphScope = null)
    {
        Name = name;
        AuthorityHost = authorityHost;
        GraphRoot = graphRoot;
        IsKnown = isKnown;
        GraphScope = graphScope ?? new Uri(graphRoot, ".default").AbsoluteUri;
    }

    /// <summary>Gets the global cloud (and GCC): login.microsoftonline.com and graph.microsoft.com.</summary>
    public static EntraCloud Global { get; } = Known("Global", "login.microsoftonline.com", "graph.microsoft.com");

    /// <summary>Gets US Government L4 (GCC High): login.microsoftonline.us and graph.microsoft.us.</summary>
    public static EntraCloud UsGovernmentL4 { get; } = Known("UsGovernmentL4", "login.microsoftonline.us", "graph.microsoft.us");

    /// <summary>Gets US Government L5 (DoD): login.microsoftonline.us and dod-graph.microsoft.us.</summary>
    public static EntraCloud UsGovernmentL5 { get; } = Known("UsGovernmentL5", "login.microsoftonline.us", "dod-graph.microsoft.us");

    /// <summary>Gets Microsoft Azure operated by 21Vianet (China): login.chinacloudapi.cn and microsoftgraph.chinacloudapi.cn.</summary>
    public static EntraCloud China { get; } = Known("China", "login.chinacloudapi.cn", "microsoftgraph.chinacloudapi.cn");

    /// <summary>Gets the cloud's name.</summary>
    public string Name { get; }

    /// <summary>Gets the sign-in host, such as <c>https://login.microsoftonline.com/</c>.</summary>
    public Uri AuthorityHost { get; }

    /// <summary>Gets the Graph root, such as <c>https://graph.microsoft.com/</c>.</summary>
    public Uri GraphRoot { get; }

    /// <summary>
    /// Gets the token scope for this cloud's Graph: its root followed by <c>/.default</c>, unless a custom cloud names
    /// another (a proxy in front of Graph still needs tokens for Graph itself).
    /// </summary>
    public string GraphScope { get; }

    /// <summary>Gets the resource a managed identity asks a token for: the scope without <c>/.default</c>.</summary>
    internal string GraphResource => GraphScope[..^DefaultScopeSuffix.Length];

    /// <summary>Gets a value indicating whether this is one of Microsoft's clouds (so MSAL may validate the authority).</summary>
    public bool IsKnown { get; }

    /// <summary>Resolves a cloud by name: Global, UsGovernmentL4 (or GccHigh), UsGovernmentL5 (or DoD), China.</summary>
    /// <param name="name">The name, in any case.</param>
    /// <returns>The cloud.</returns>
    /// <exception cref="ArgumentException">No cloud has that name.</exception>
    public static EntraCloud FromName(string name) => name?.Trim().ToUpperInvariant() switch
    {
        "GLOBAL" or "PUBLIC" or "AZURECLOUD" => Global,
        "USGOVERNMENTL4" or "GCCHIGH" => UsGovernmentL4,
        "USGOVERNMENTL5" or "DOD" => UsGovernmentL5,
        "CHINA" or "AZURECHINACLOUD" => China,
        _ => throw new ArgumentException($"Unknown cloud '{ShownText.Of(name)}': use Global, UsGovernmentL4, UsGovernmentL5 or China, or custom endpoints.", nameof(name)),
    };

    /// <summary>
    /// A cloud at custom endpoints, such as an emulator. Both must be HTTPS, except that Graph may be plain
    /// HTTP on a loopback address (MSAL itself only talks to an HTTPS authority).
    /// </summary>
    /// <param name="authorityHost">The sign-in host.</param>
    /// <param name="graphRoot">The Graph root (its <c>/v1.0/</c> API is used).</param>
    /// <returns>The cloud.</returns>
    /// <exception cref="ArgumentException">An endpoint is not absolute, not HTTPS, or plain HTTP off loopback.</exception>
    public static EntraCloud Custom(Uri authorityHost, Uri graphRoot)
    {
        ArgumentNullException.ThrowIfNull(authorityHost);
        ArgumentNullException.ThrowIfNull(graphRoot);
        Require(authorityHost, nameof(authorityHost), allowLoopbackHttp: false);
        Require(graphRoot, nameof(graphRoot), allowLoopbackHttp: true);
        return new EntraCloud("Custom", Root(authorityHost), Root(graphRoot), isKnown: false);
    }

    /// <summary>
    /// A cloud at custom endpoints whose tokens are for another Graph than the one the SDK calls: a reverse proxy in front
    /// of Graph (tokens for <c>https://graph.microsoft.com/.default</c>, requests to the proxy), or an emulator reached
    /// under another name than its own.
    /// </summary>
    /// <param name="authorityHost">The sign-in host.</param>
    /// <param name="graphRoot">The Graph root the SDK sends its requests to (its <c>/v1.0/</c> API is used).</param>
    /// <param name="graphScope">The token scope: an absolute HTTPS URL ending in <c>/.default</c>, such as <c>https://graph.microsoft.com/.default</c>.</param>
    /// <returns>The cloud.</returns>
    /// <exception cref="ArgumentException">An endpoint is not absolute, not HTTPS, or plain HTTP off loopback; or the scope is not an app-only <c>/.default</c> scope.</exception>
    public static EntraCloud Custom(Uri authorityHost, Uri graphRoot, string graphScope)
    {
        ArgumentNullException.ThrowIfNull(graphScope);
        var cloud = Custom(authorityHost, graphRoot);
        if (!Uri.TryCreate(graphScope, UriKind.Absolute, out var scope)
            || !graphScope.EndsWith(DefaultScopeSuffix, StringComparison.Ordinal)
            || graphScope.Length == DefaultScopeSuffix.Length
            || !string.IsNullOrEmpty(scope.Query) || !string.IsNullOrEmpty(scope.Fragment)
            || (scope.Scheme != Uri.UriSchemeHttps && !(scope.Scheme == Uri.UriSchemeHttp && IsLoopback(scope))))
        {
            throw new ArgumentException(
                $"'{ShownText.Of(graphScope, 260)}' is not a Graph token scope: give the resource's HTTPS URL followed by /.default, such as https://graph.microsoft.com/.default.",
                nameof(graphScope));
        }

        return new EntraCloud("Custom", cloud.AuthorityHost, cloud.GraphRoot, isKnown: false, graphScope);
    }

    /// <summary>A cloud at custom endpoints given as text, such as <c>EntraCloud.Custom("https://127.0.0.1:5001/", "https://127.0.0.1:5001/")</c>.</summary>
    /// <param name="authorityHost">The sign-in host: an absolute HTTPS URL.</param>
    /// <param name="graphRoot">The Graph root: an absolute HTTPS URL, or plain HTTP on a loopback address.</param>
    /// <returns>The cloud.</returns>
    /// <exception cref="ArgumentException">An endpoint is not an absolute URL, not HTTPS, or plain HTTP off loopback.</exception>
    public static EntraCloud Custom(string authorityHost, string graphRoot) =>
        Custom(Absolute(authorityHost, nameof(authorityHost)), Absolute(graphRoot, nameof(graphRoot)));

    /// <summary>A cloud at custom endpoints given as text, whose tokens are for another Graph than the one called (a reverse proxy).</summary>
    /// <param name="authorityHost">The sign-in host: an absolute HTTPS URL.</param>
    /// <param name="graphRoot">The Graph root the SDK sends its requests to.</param>
    /// <param name="graphScope">The token scope, such as <c>https://graph.microsoft.com/.default</c>.</param>
    /// <returns>The cloud.</returns>
    /// <exception cref="ArgumentException">An endpoint is not an absolute URL, not HTTPS, or plain HTTP off loopback; or the scope is not an app-only <c>/.default</c> scope.</exception>
    public static EntraCloud Custom(string authorityHost, string graphRoot, string graphScope) =>
        Custom(Absolute(authorityHost, nameof(authorityHost)), Absolute(graphRoot, nameof(graphRoot)), graphScope);

    /// <summary>Describes the cloud.</summary>
    /// <returns>Text such as <c>Global (login.microsoftonline.com, graph.microsoft.com)</c>.</returns>
    public override string ToString() => GraphScope == new Uri(GraphRoot, ".default").AbsoluteUri
        ? $"{Name} ({AuthorityHost.Authority}, {GraphRoot.Authority})"
        : $"{Name} ({AuthorityHost.Authority}, {GraphRoot.Authority}, tokens for {GraphScope})";

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static EntraCloud Known(string name, string authorityHost, string graphHost) =>
        new(name, new Uri($"https://{authorityHost}/"), new Uri($"https://{graphHost}/"), isKnown: true);

    private static Uri Absolute(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text, parameter);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"'{ShownText.Of(text, 260)}' is not an absolute URL.", parameter);
    }

    private static void Require(Uri uri, string parameter, bool allowLoopbackHttp)
    {
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{ShownText.Of(uri.OriginalString, 260)}' is not an absolute URL.", parameter);
        }

        var https = uri.Scheme == Uri.UriSchemeHttps;
        var loopbackHttp = allowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri);
        if (!https && !loopbackHttp)
        {
            throw new ArgumentException(
                allowLoopbackHttp
                    ? $"'{uri.GetLeftPart(UriPartial.Authority)}' must use HTTPS; plain HTTP is accepted only on a loopback address."
                    : $"'{uri.GetLeftPart(UriPartial.Authority)}' must use HTTPS.",
                parameter);
        }
    }

    private static Uri Root(Uri uri)
    {
        var text = uri.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
