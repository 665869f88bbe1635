using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk;

namespace Knocknoc.Entra.Cli.Configuration;

/// <content>Where the tool connects and whom it trusts there: the cloud's endpoints and <c>ca_file</c>'s roots.</content>
internal sealed partial class CliSettings
{
    /// <summary>
    /// The cloud: the global one, or custom endpoints when <c>graph_url</c> or <c>authority_host</c> is given, with tokens
    /// for <c>graph_scope</c> when that is given (a proxy in front of Graph, an emulator reached under another name).
    /// </summary>
    /// <returns>The cloud.</returns>
    /// <exception cref="ConfigurationException">An endpoint is not an absolute URL, or not one the SDK accepts.</exception>
    public EntraCloud Cloud()
    {
        var graph = Url(SettingKeys.GraphUrl);
        var authority = Url(SettingKeys.AuthorityHost);
        var scope = Get(SettingKeys.GraphScope);
        if (graph is null && authority is null && scope is null)
        {
            return EntraCloud.Global;
        }

        (authority, graph) = (authority ?? EntraCloud.Global.AuthorityHost, graph ?? EntraCloud.Global.GraphRoot);
        try
        {
            return scope is null ? EntraCloud.Custom(authority, graph) : EntraCloud.Custom(authority, graph, scope);
        }
        catch (ArgumentException error) when (error.ParamName == "graphScope")
        {
            throw new ConfigurationException($"{SettingKeys.GraphScope} is not a token scope: an HTTPS URL ending in /.default, such as https://graph.microsoft.com/.default", error);
        }
        catch (ArgumentException error)
        {
            throw new ConfigurationException($"{SettingKeys.AuthorityHost} must be HTTPS, and {SettingKeys.GraphUrl} HTTPS or plain HTTP on loopback", error);
        }
    }

    /// <summary>The roots of <c>ca_file</c>: the only ones the client trusts when given; null for the machine's.</summary>
    /// <returns>The certificates, or null.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read or holds no certificate.</exception>
    public X509Certificate2Collection? TrustedRoots()
    {
        if (Get(SettingKeys.CaFile) is not { } file)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException($"{SettingKeys.CaFile} {file} cannot be read as PEM certificates ({error.GetType().Name})", error);
        }

        return roots.Count > 0 ? roots : throw new ConfigurationException($"{SettingKeys.CaFile} {file} holds no certificate");
    }

    private Uri? Url(string key)
    {
        if (Get(key) is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new ConfigurationException($"{key} is not an absolute http(s) URL");
    }
}
