using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Knocknoc.Entra.Sdk.Testing.Rules;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// Graph v1.0 Conditional Access named locations and policies. In order: the API version, the token, the tenant's
/// rate limit, any fault asked for, the permission, then the call itself with Entra's validation rules. Every
/// refusal names its rule (<see cref="EmulatorRule.Header"/>).
/// </summary>
internal static partial class GraphEndpoint
{
    private const string VersionPrefix = "/v1.0/";

    public static async Task<HttpResponseMessage> HandleAsync(EntraEmulator emulator, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (emulator.Options.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(emulator.Options.ResponseDelay, emulator.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        var call = new Call(emulator, request, body);
        GraphAnswer answer;
        try
        {
            answer = call.Answer();
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            // A request the emulator did not foresee is still answered as Graph would: never an exception to the client.
            answer = new(HttpStatusCode.InternalServerError, call.InternalError(exception));
        }

        if (answer.Status == 0 || call.Fault == EmulatedFault.ResponseLost)
        {
            emulator.Record(call.Entry(0, null));
            throw new HttpRequestException(HttpRequestError.ResponseEnded, $"The emulator dropped the connection (EmulatedFault.{call.Fault}).");
        }

        if (call.Fault == EmulatedFault.CaptivePortalPage)
        {
            const string Page = "<html><head><title>Sign in</title></head><body>Welcome to the hotel Wi-Fi.</body></html>";
            emulator.Record(call.Entry(200, Page));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Page, Encoding.UTF8, "text/html") };
        }

        var sent = call.Fault == EmulatedFault.TruncatedJson && answer.Json is not null ? answer.Json[..(answer.Json.Length / 2)] : answer.Json;
        emulator.Record(call.Entry((int)answer.Status, sent));
        var response = EmulatorJson.Respond(answer.Status, sent, call.RequestId, call.ClientRequestId);
        response.Headers.TryAddWithoutValidation("OData-Version", "4.0");
        if (answer.RetryAfter is { } wait && RetryAfterText(wait, answer.Status == HttpStatusCode.TooManyRequests ? emulator.Options.RetryAfter : EmulatedRetryAfter.WholeSeconds) is { } text)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", text);
        }

        if (answer.Rule is { } rule)
        {
            response.Headers.TryAddWithoutValidation(EmulatorRule.Header, rule.Id);
        }

        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
        }

        return response;
    }

    private static string? RetryAfterText(TimeSpan wait, EmulatedRetryAfter style) => style switch
    {
        EmulatedRetryAfter.WholeSeconds => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        EmulatedRetryAfter.FractionalSeconds => wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>An answer before it is sent: its status, body, wait and, for a refusal, the rule behind it.</summary>
    private readonly record struct GraphAnswer(HttpStatusCode Status, string? Json, TimeSpan? RetryAfter = null, EmulatorRule? Rule = null);

    private sealed partial class Call(EntraEmulator emulator, HttpRequestMessage request, string? body)
    {
        private readonly DateTimeOffset _now = emulator.Now();
        private readonly EntraEmulatorOptions _options = emulator.Options;
        private readonly string _path = request.RequestUri!.AbsolutePath.TrimEnd('/');
        private readonly string _origin = request.RequestUri!.GetLeftPart(UriPartial.Authority);

        public string RequestId { get; } = emulator.NewId();

        public string? ClientRequestId { get; } = request.Headers.TryGetValues("client-request-id", out var ids) ? ids.FirstOrDefault() : null;

        public EmulatedFault? Fault { get; private set; }

        public string InternalError(Exception exception) =>
            Error("InternalServerError", $"The emulator could not handle this request: {exception.Message}");

        public EmulatorJournalEntry Entry(int status, string? json) =>
            new(_now, request.Method.Method, request.RequestUri!.PathAndQuery, body, status, json);

        public GraphAnswer Answer()
        {
            if (!_path.StartsWith(VersionPrefix, StringComparison.Ordinal))
            {
                var version = _path.TrimStart('/').Split('/')[0];
                return BadRequest(GraphRules.ApiVersion, $"The emulator serves Graph v1.0 only, not '{version}'.");
            }

            var token = Authenticate(out var failure);
            if (token is null)
            {
                return new(HttpStatusCode.Unauthorized, failure, Rule: GraphRules.Authentication);
            }

            var tenant = token.Tenant;
            lock (emulator.Gate)
            {
                var interval = _options.RateLimitInterval;
                var clock = _options.TimeProvider;
                var stamp = clock.GetTimestamp();
                if (interval > TimeSpan.Zero && !IsDirectoryCall && tenant.LastAcceptedTimestamp is { } last && clock.GetElapsedTime(last, stamp) is var since && since < interval)
                {
                    return new(HttpStatusCode.TooManyRequests, Error("TooManyRequests", "Please retry again later."), interval - since, GraphRules.RateLimit);
                }

                if (!IsDirectoryCall)
                {
                    tenant.LastAcceptedTimestamp = stamp;
                }
            }

            Fault = emulator.TakeFault();
            if (Fault is null && _options.TransientFailureRate > 0 && emulator.NextDouble() < _options.TransientFailureRate)
            {
                Fault = EmulatedFault.ServiceUnavailable;
            }

            if (Faulted() is { } faulted)
            {
                return faulted;
            }

            var writes = request.Method != HttpMethod.Get;
            var permissions = token.Application.Permissions;
            var allowed = IsDirectoryCall ? permissions.HasFlag(GraphPermissions.UserRevokeSessionsAll)
                : _path == EvaluatePath ? (permissions & (GraphPermissions.PolicyReadConditionalAccess | GraphPermissions.All)) != 0
                : writes
                ? permissions.HasFlag(GraphPermissions.PolicyReadWriteConditionalAccess) && (!_options.WritesNeedPolicyRead || permissions.HasFlag(GraphPermissions.PolicyReadAll))
                : _options.ReadsNeedPolicyRead ? permissions.HasFlag(GraphPermissions.PolicyReadAll) : permissions != GraphPermissions.None;
            if (!allowed)
            {
                return new(HttpStatusCode.Forbidden, Error("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."), Rule: GraphRules.Permission);
            }

            lock (emulator.Gate)
            {
                return Route(tenant);
            }
        }

        private GraphAnswer? Faulted() => Fault switch
        {
            EmulatedFault.InternalServerError => new GraphAnswer(HttpStatusCode.InternalServerError, Error("InternalServerError", "An internal server error occurred.")),
            EmulatedFault.ServiceUnavailable => new GraphAnswer(HttpStatusCode.ServiceUnavailable, Error("ServiceUnavailable", "The service is temporarily unavailable."), TimeSpan.FromSeconds(1)),
            EmulatedFault.GatewayTimeout => new GraphAnswer(HttpStatusCode.GatewayTimeout, null),
            EmulatedFault.TooManyRequests => new GraphAnswer(HttpStatusCode.TooManyRequests, Error("TooManyRequests", "Please retry again later.")),
            EmulatedFault.ConnectionReset => new GraphAnswer(0, null),
            EmulatedFault.CaptivePortalPage => new GraphAnswer(HttpStatusCode.OK, null),
            _ => null,
        };

        private EntraEmulator.IssuedToken? Authenticate(out string? failure)
        {
            failure = null;
            var header = request.Headers.Authorization;
            var token = header is { Scheme: "Bearer", Parameter: { } value } ? emulator.FindToken(value) : null;

            // A token for Graph itself (the global root or Graph's app id) is good wherever this emulator is Graph; one
            // for the emulated cloud's root only at that root.
            if (token is null || (!token.IsForGlobalGraph && token.Audience != _origin + "/"))
            {
                failure = Error("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
                return null;
            }

            if (_now >= token.ExpiresOn)
            {
                failure = Error("InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
                return null;
            }

            return token;
        }

        private GraphAnswer NotFound(string id) =>
            new(HttpStatusCode.NotFound, Error("ResourceNotFound", $"The named location '{id}' was not found."), Rule: GraphRules.NotFound);

        private GraphAnswer BadRequest(EmulatorRule rule, string message) =>
            new(HttpStatusCode.BadRequest, Error("BadRequest", message), Rule: rule);

        private string Error(string code, string message) => EmulatorJson.GraphError(code, message, _now, RequestId, ClientRequestId);
    }
}
