using System.Net;
using Knocknoc.Entra.Sdk.Testing.Rules;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// The client-credentials grant of <c>/{tenant}/oauth2/v2.0/token</c>, refusing as Entra does, with its AADSTS
/// codes, so MSAL raises in tests exactly what it raises in production.
/// </summary>
internal static class TokenEndpoint
{
    /// <summary>Graph's application id: <c>00000003-0000-0000-c000-000000000000/.default</c> names Graph as well as its URI does.</summary>
    private const string GraphApplicationId = "00000003-0000-0000-c000-000000000000/";

    /// <summary>The global cloud's Graph root: clients written for Graph ask for it by default.</summary>
    private const string GlobalGraphRoot = "https://graph.microsoft.com/";

    public static async Task<HttpResponseMessage> HandleAsync(EntraEmulator emulator, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var form = request.Content is null
            ? new Dictionary<string, string>()
            : ParseForm(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var clientRequestId = request.Headers.TryGetValues("client-request-id", out var ids) ? ids.FirstOrDefault() : null;
        var (status, body, rule) = Answer(emulator, request.RequestUri!, request.Method, form, clientRequestId);

        // The form carries the client secret: the journal keeps the path and the outcome only.
        emulator.Record(new EmulatorJournalEntry(emulator.Now(), request.Method.Method, path, null, (int)status, status == HttpStatusCode.OK ? null : body));
        var response = EmulatorJson.Respond(status, body);
        if (clientRequestId is not null)
        {
            response.Headers.TryAddWithoutValidation("client-request-id", clientRequestId);
        }

        if (rule is not null)
        {
            response.Headers.TryAddWithoutValidation(EmulatorRule.Header, rule.Id);
        }

        return response;
    }

    /// <summary>Whether a token for <paramref name="audience"/> is for Graph wherever this emulator plays it.</summary>
    /// <param name="audience">The token's resource, ending in a slash.</param>
    /// <returns>True for the global Graph root and Graph's application id.</returns>
    public static bool IsGlobalGraph(string audience) =>
        string.Equals(audience, GlobalGraphRoot, StringComparison.OrdinalIgnoreCase) || string.Equals(audience, GraphApplicationId, StringComparison.OrdinalIgnoreCase);

    private static (HttpStatusCode Status, string Body, EmulatorRule? Rule) Answer(EntraEmulator emulator, Uri uri, HttpMethod method, Dictionary<string, string> form, string? clientRequestId)
    {
        var path = uri.AbsolutePath;
        var now = emulator.Now();
        var trace = emulator.NewId();
        var ownOrigin = uri.GetLeftPart(UriPartial.Authority) + "/";
        EmulatorRule? broken = null;
        (HttpStatusCode, string, EmulatorRule?) Refuse(HttpStatusCode status, string error, int aadsts, string description) =>
            (status, EmulatorJson.TokenError(error, aadsts, description, now, trace, clientRequestId ?? trace, $"{ownOrigin}error?code={aadsts}"), broken);

        broken = GraphRules.TokenMethod;
        if (method != HttpMethod.Post)
        {
            return Refuse(HttpStatusCode.MethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts POST requests.");
        }

        broken = GraphRules.TokenTenant;

        // The tenant is the segment right before /oauth2/v2.0/token.
        var segments = path[..path.LastIndexOf("/oauth2/", StringComparison.Ordinal)].Split('/');
        var tenantId = segments[^1];
        if (tenantId.Length == 0)
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_request", 900023, "Specified tenant identifier '' is neither a valid DNS name, nor a valid external domain.");
        }

        var tenant = emulator.FindTenant(tenantId);
        if (tenant is null)
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_request", 90002, $"Tenant '{tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }

        broken = GraphRules.TokenGrant;
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return Refuse(HttpStatusCode.BadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }

        var clientId = form.GetValueOrDefault("client_id") ?? string.Empty;
        EmulatedApplication? application;
        lock (emulator.Gate)
        {
            application = tenant.FindApplication(clientId);
        }

        broken = GraphRules.TokenClient;
        if (application is null)
        {
            return Refuse(HttpStatusCode.BadRequest, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenantId}'.");
        }

        broken = GraphRules.TokenCredential;
        if (form.TryGetValue("client_secret", out var secret))
        {
            if (!string.Equals(secret, application.ClientSecret, StringComparison.Ordinal))
            {
                return Refuse(HttpStatusCode.Unauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
            }

            if (application.SecretExpired)
            {
                return Refuse(HttpStatusCode.Unauthorized, "invalid_client", 7000222, $"The provided client secret keys for app '{clientId}' are expired.");
            }
        }
        else if (form.TryGetValue("client_assertion", out var assertion) && assertion.Length > 0)
        {
            if (!application.AcceptsClientAssertions)
            {
                return Refuse(HttpStatusCode.Unauthorized, "invalid_client", 700027, "Client assertion failed signature validation.");
            }
        }
        else
        {
            return Refuse(HttpStatusCode.Unauthorized, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
        }

        broken = GraphRules.TokenScope;
        var scope = form.GetValueOrDefault("scope") ?? string.Empty;
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        }

        // Tokens are for one resource, Graph: the emulated cloud's root (in process, or the server's own origin), or
        // Graph as every client knows it by default (the global root, or its application id).
        broken = GraphRules.TokenResource;
        var audience = scope[..^"/.default".Length] + "/";
        var known = string.Equals(audience, EntraEmulator.GraphRoot.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
            || string.Equals(audience, ownOrigin, StringComparison.OrdinalIgnoreCase)
            || IsGlobalGraph(audience);
        if (!known)
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_resource", 500011, $"The resource principal named {audience.TrimEnd('/')} was not found in the tenant named {tenantId}.");
        }

        return (HttpStatusCode.OK, EmulatorJson.Token(emulator.IssueToken(tenant, application, audience), emulator.Options.TokenLifetime), null);
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            form[name] = equals < 0 ? string.Empty : WebUtility.UrlDecode(pair[(equals + 1)..]);
        }

        return form;
    }
}
