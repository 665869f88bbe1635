using System.Net;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// The client-credentials grant of <c>/{tenant}/oauth2/v2.0/token</c>, refusing as Entra does, with its AADSTS
/// codes, so MSAL raises in tests exactly what it raises in production.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<HttpResponseMessage> HandleAsync(EntraEmulator emulator, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var form = request.Content is null
            ? new Dictionary<string, string>()
            : ParseForm(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var (status, body) = Answer(emulator, request.RequestUri!, request.Method, form);

        // The form carries the client secret: the journal keeps the path and the outcome only.
        emulator.Record(new EmulatorJournalEntry(emulator.Now(), request.Method.Method, path, null, (int)status, status == HttpStatusCode.OK ? null : body));
        return EmulatorJson.Respond(status, body);
    }

    private static (HttpStatusCode Status, string Body) Answer(EntraEmulator emulator, Uri uri, HttpMethod method, Dictionary<string, string> form)
    {
        var path = uri.AbsolutePath;
        var now = emulator.Now();
        var trace = emulator.NewId();
        (HttpStatusCode, string) Refuse(HttpStatusCode status, string error, int aadsts, string description) =>
            (status, EmulatorJson.TokenError(error, aadsts, description, now, trace));

        if (method != HttpMethod.Post)
        {
            return Refuse(HttpStatusCode.MethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts POST requests.");
        }

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

        if (application is null)
        {
            return Refuse(HttpStatusCode.BadRequest, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenantId}'.");
        }

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

        var scope = form.GetValueOrDefault("scope") ?? string.Empty;
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        }

        // Tokens are for one resource: this emulator's Graph (its in-process root, or the server's own origin).
        var audience = scope[..^"/.default".Length] + "/";
        var ownOrigin = uri.GetLeftPart(UriPartial.Authority) + "/";
        if (audience != EntraEmulator.GraphRoot.AbsoluteUri && audience != ownOrigin)
        {
            return Refuse(HttpStatusCode.BadRequest, "invalid_resource", 500011, $"The resource principal named {audience.TrimEnd('/')} was not found in the tenant named {tenantId}.");
        }

        return (HttpStatusCode.OK, EmulatorJson.Token(emulator.IssueToken(tenant, application, audience), emulator.Options.TokenLifetime));
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
