namespace Knocknoc.Entra.Sdk.Testing.Rules;

/// <summary>Every rule the emulator enforces, in the order docs/testing.md lists them.</summary>
internal static class GraphRules
{
    private const string TokenErrors = "learn.microsoft.com/entra/identity-platform/reference-error-codes";
    private const string ClientCredentials = "learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow";
    private const string NetworkAssignment = "learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network";
    private const string IpLocationResource = "learn.microsoft.com/graph/api/resources/ipnamedlocation";
    private const string IpLocationUpdate = "learn.microsoft.com/graph/api/ipnamedlocation-update";
    private const string CreateLocation = "learn.microsoft.com/graph/api/conditionalaccessroot-post-namedlocations";
    private const string GraphErrors = "learn.microsoft.com/graph/errors";

    public static EmulatorRule TokenMethod { get; } = new("token-method", "The token endpoint takes POST only (405, AADSTS900561).", TokenErrors);

    public static EmulatorRule TokenTenant { get; } = new("token-tenant", "An unknown or empty tenant is refused (400 invalid_request, AADSTS90002 or 900023).", TokenErrors);

    public static EmulatorRule TokenGrant { get; } = new("token-grant", "Only grant_type=client_credentials is served (400 unsupported_grant_type, AADSTS70003).", ClientCredentials);

    public static EmulatorRule TokenClient { get; } = new("token-client", "An application unknown in the tenant is refused (400 unauthorized_client, AADSTS700016).", TokenErrors);

    public static EmulatorRule TokenCredential { get; } = new("token-credential", "A wrong secret (AADSTS7000215), an expired one (AADSTS7000222), a refused assertion (AADSTS700027) or none (AADSTS7000216) is 401 invalid_client.", TokenErrors);

    public static EmulatorRule TokenScope { get; } = new("token-scope", "The scope must be a resource followed by /.default (400 invalid_scope, AADSTS1002012).", ClientCredentials);

    public static EmulatorRule TokenResource { get; } = new("token-resource", "The resource must be Graph: the emulated cloud's Graph root, https://graph.microsoft.com or Graph's application id; any other is 400 invalid_resource, AADSTS500011.", TokenErrors);

    public static EmulatorRule Authentication { get; } = new("authentication", "A missing, forged or expired token, or one for another resource, is 401 InvalidAuthenticationToken with WWW-Authenticate.", GraphErrors);

    public static EmulatorRule Permission { get; } = new("permission", "Reads need Policy.Read.All or Policy.ReadWrite.ConditionalAccess, writes need Policy.ReadWrite.ConditionalAccess and Policy.Read.All, evaluate needs Policy.Read.ConditionalAccess (or either of the others), revokeSignInSessions needs User.RevokeSessions.All (403 AccessDenied).", IpLocationUpdate);

    public static EmulatorRule RateLimit { get; } = new("rate-limit", "One Conditional Access request per second per tenant, reads and evaluate included, revokeSignInSessions not (429 TooManyRequests, Retry-After absent unless chosen).", "learn.microsoft.com/graph/throttling-limits");

    public static EmulatorRule ApiVersion { get; } = new("api-version", "Only /v1.0 is served; any other version is 400 BadRequest with Graph's error body.", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule Segment { get; } = new("segment", "A path outside named locations and policies is 400 BadRequest (\"Resource not found for the segment\").", GraphErrors);

    public static EmulatorRule Method { get; } = new("method", "A method a resource does not support is 405.", GraphErrors);

    public static EmulatorRule QueryOption { get; } = new("query-option", "Only $select, $filter, $top and $skiptoken are served; any other query option is 400.", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule Top { get; } = new("query-top", "$top must be a positive whole number (400).", "learn.microsoft.com/graph/query-parameters");

    public static EmulatorRule Filter { get; } = new("query-filter", "$filter serves isof('microsoft.graph.ipNamedLocation' or countryNamedLocation), displayName eq '...' and startswith(displayName,'...'), joined by and; anything else is 400.", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule SkipToken { get; } = new("query-skiptoken", "A $skiptoken the emulator did not hand out is 400.", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule NotFound { get; } = new("not-found", "A missing id is 404 ResourceNotFound (the code string is not documented).", GraphErrors);

    public static EmulatorRule ContentType { get; } = new("content-type", "A create or PATCH body must be sent as Content-Type application/json (400).", IpLocationUpdate);

    public static EmulatorRule Body { get; } = new("body", "A create or PATCH body must be one JSON object (400).", IpLocationUpdate);

    public static EmulatorRule LocationType { get; } = new("location-type", "A create or PATCH carries the location's @odata.type, and a PATCH the type the location has (400).", IpLocationUpdate);

    public static EmulatorRule UnknownProperty { get; } = new("unknown-property", "A property the type does not define, misspelt or wrongly cased (IpRanges), is 400 (\"does not exist on type\").", IpLocationResource);

    public static EmulatorRule PropertyType { get; } = new("property-type", "A property of the wrong JSON type (isTrusted: \"yes\", displayName: 7, a null) is 400.", IpLocationResource);

    public static EmulatorRule DisplayName { get; } = new("display-name", "displayName is required on create and never empty or blank (400).", CreateLocation);

    public static EmulatorRule IpRangesRequired { get; } = new("ip-ranges", "An IP location's ipRanges is an array of range objects, required on create and never empty (400).", IpLocationResource);

    public static EmulatorRule IpRangesLimit { get; } = new("ip-ranges-limit", "At most 2000 ranges per location (400).", NetworkAssignment);

    public static EmulatorRule RangeType { get; } = new("range-type", "Every range carries its own @odata.type, iPv4CidrRange or iPv6CidrRange, and cidrAddress only (400).", "github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8569");

    public static EmulatorRule RangeCidr { get; } = new("range-cidr", "cidrAddress is CIDR notation: an address alone (no /length) or a malformed address or length is 400.", NetworkAssignment);

    public static EmulatorRule RangeText { get; } = new("range-text", "cidrAddress is strict text: no spaces, no leading zeros in IPv4 parts or the length, no zone id (400).", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule RangeFamily { get; } = new("range-family", "A range's address family matches its @odata.type (400).", IpLocationResource);

    public static EmulatorRule RangePrefix { get; } = new("range-prefix", "Only masks longer than /8 are allowed, IPv4 and IPv6 (400; EntraEmulatorOptions.MinimumPrefixLength).", NetworkAssignment);

    public static EmulatorRule CountryRanges { get; } = new("country-ranges", "A countries location has no ipRanges (400).", "learn.microsoft.com/graph/api/resources/countrynamedlocation");

    public static EmulatorRule LocationLimit { get; } = new("location-limit", "At most 195 named locations per tenant (400).", NetworkAssignment);

    public static EmulatorRule TrustedDelete { get; } = new("trusted-delete", "A trusted location cannot be deleted before it is untrusted (400).", NetworkAssignment);

    public static EmulatorRule ReferencedDelete { get; } = new("referenced-delete", "A location a Conditional Access policy references cannot be deleted (400; the portal refuses it, Graph's answer is not documented).", EmulatorRule.EmulatorsChoice);

    public static EmulatorRule UserNotFound { get; } = new("user-not-found", "revokeSignInSessions or evaluate for a user the tenant does not have (by object id or user principal name) is 404 Request_ResourceNotFound (for evaluate, the answer is not documented).", "learn.microsoft.com/graph/api/user-revokesigninsessions");

    public static EmulatorRule EvaluateBody { get; } = new("evaluate-body", "An evaluate body carries signInIdentity (#microsoft.graph.userSignIn with userId), signInContext (#microsoft.graph.applicationContext with includeApplications) and signInConditions with a valid ipAddress (400).", "learn.microsoft.com/graph/api/conditionalaccessroot-evaluate");

    /// <summary>Gets every rule, in the documentation's order.</summary>
    public static IReadOnlyList<EmulatorRule> All { get; } =
    [
        TokenMethod, TokenTenant, TokenGrant, TokenClient, TokenCredential, TokenScope, TokenResource,
        Authentication, Permission, RateLimit, ApiVersion, Segment, Method, QueryOption, Top, Filter, SkipToken, NotFound,
        ContentType, Body, LocationType, UnknownProperty, PropertyType, DisplayName, IpRangesRequired, IpRangesLimit,
        RangeType, RangeCidr, RangeText, RangeFamily, RangePrefix, CountryRanges, LocationLimit, TrustedDelete, ReferencedDelete,
        UserNotFound, EvaluateBody,
    ];
}
