using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Knocknoc.Entra.Sdk.Graph;

/// <summary>The hand-written typed client over Graph v1.0 REST for named locations and Conditional Access policies.</summary>
public sealed partial class NamedLocationClient : INamedLocationClient, ISignInSessionClient, IWhatIfClient, IDisposable
{
    /// <summary>The most ranges Graph accepts in one named location: the same as <see cref="GraphLimits.MaxIpRanges"/>, kept for existing callers.</summary>
    public const int MaxIpRanges = GraphLimits.MaxIpRanges;

    /// <summary>The largest body read: a full page of full locations fits many times over; a hostile stream does not.</summary>
    private const long MaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>Pages followed at most: a guard against a next-page link that never ends.</summary>
    private const int MaxPages = 1000;

    private const string IpNamedLocationType = "#microsoft.graph.ipNamedLocation";
    private const string CountryNamedLocationType = "#microsoft.graph.countryNamedLocation";

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    /// <summary>
    /// The process-wide default transport, like a static HttpClient: connections are pooled across clients, and
    /// MSAL applications (cached per transport) and their token caches are shared by every client of an app.
    /// </summary>
    private static readonly Lazy<SocketsHttpHandler> SharedTransport = new(Transports.CreateDefault);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _namedLocations;
    private readonly Uri _policies;
    private readonly Uri _evaluate;
    private readonly Uri _users;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // Bodies are read after the pipeline returned the headers, outside its timeouts: they get their own deadline.
    private readonly TimeSpan _bodyTimeout;

    /// <summary>Gets the tenant's pacer when this client was built by <see cref="Create"/>; a gate waits on it before taking its snapshot.</summary>
    internal TenantRateLimiter? Limiter { get; private init; }

    /// <inheritdoc/>
    TenantRateLimiter? INamedLocationClient.Pacing => Limiter;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handlers already add the token, pacing and retries.</summary>
    /// <param name="httpClient">The configured client (for instance from <c>IHttpClientFactory</c>).</param>
    /// <param name="cloud">The cloud whose Graph root is called.</param>
    /// <param name="timeProvider">The clock for latency measurement.</param>
    /// <param name="logger">Where logs go.</param>
    public NamedLocationClient(HttpClient httpClient, EntraCloud cloud, TimeProvider? timeProvider = null, ILogger<NamedLocationClient>? logger = null)
        : this(httpClient, ownsHttp: false, cloud, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance, new GraphResilienceOptions().AttemptTimeout)
    {
    }

    private NamedLocationClient(HttpClient httpClient, bool ownsHttp, EntraCloud cloud, TimeProvider timeProvider, ILogger logger, TimeSpan bodyTimeout)
    {
        _bodyTimeout = bodyTimeout;
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(cloud);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        _namedLocations = new Uri(cloud.GraphRoot, "v1.0/identity/conditionalAccess/namedLocations");
        _policies = new Uri(cloud.GraphRoot, "v1.0/identity/conditionalAccess/policies");
        _evaluate = new Uri(cloud.GraphRoot, "v1.0/identity/conditionalAccess/evaluate");
        _users = new Uri(cloud.GraphRoot, "v1.0/users");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc/>
    public Task<NamedLocation> GetAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Location(id), content: null, GraphOperation.ReadLocation, static (body, token) => ReadLocationAsync(body, token), cancellationToken);

    /// <inheritdoc/>
    public async Task<IpNamedLocation> GetIpAsync(string id, CancellationToken cancellationToken = default)
    {
        var location = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return location as IpNamedLocation ?? throw NotAnIpLocation(location);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<NamedLocation>> ListAsync(CancellationToken cancellationToken = default) =>
        ListPagesAsync(_namedLocations, GraphOperation.ListLocations, GraphJsonContext.Default.NamedLocationPage, ToModel, cancellationToken);

    /// <inheritdoc/>
    public async Task<IpNamedLocation> CreateIpAsync(string displayName, IReadOnlyCollection<Cidr> ipRanges, bool isTrusted = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ValidateRanges(ipRanges);
        var created = await SendAsync(
            HttpMethod.Post,
            _namedLocations,
            GraphRequestBodies.CreateIpNamedLocation(displayName, isTrusted, ipRanges),
            GraphOperation.CreateLocation,
            static (body, token) => ReadLocationAsync(body, token),
            cancellationToken).ConfigureAwait(false);
        return created as IpNamedLocation ?? throw NotAnIpLocation(created);
    }

    /// <inheritdoc/>
    public Task UpdateIpRangesAsync(string id, IReadOnlyCollection<Cidr> ipRanges, CancellationToken cancellationToken = default)
    {
        var uri = Location(id);
        ValidateRanges(ipRanges);
        return SendAsync(HttpMethod.Patch, uri, GraphRequestBodies.UpdateIpRanges(ipRanges), GraphOperation.UpdateLocation, static (_, _) => Task.FromResult(true), cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Location(id), content: null, GraphOperation.DeleteLocation, static (_, _) => Task.FromResult(true), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ConditionalAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        ListPagesAsync(_policies, GraphOperation.ListPolicies, GraphJsonContext.Default.PolicyPage, ToModel, cancellationToken, AskForEvolvableMembers);

    /// <summary>Releases the connections of a client made by <see cref="Create"/>.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Checks ranges before they reach Graph: Graph's own limits, and never a range so wide it opens the location to a slice of the internet.</summary>
    internal static void ValidateRanges(IReadOnlyCollection<Cidr> ipRanges)
    {
        ArgumentNullException.ThrowIfNull(ipRanges);
        if (ipRanges.Count is 0 or > GraphLimits.MaxIpRanges)
        {
            throw new ArgumentException($"A named location holds 1 to {GraphLimits.MaxIpRanges} ranges, not {ipRanges.Count}.", nameof(ipRanges));
        }

        foreach (var range in ipRanges)
        {
            if (range.PrefixLength < GraphLimits.WidestPrefixLength)
            {
                throw new ArgumentException($"{range} is too wide: Entra accepts only prefixes longer than /{GraphLimits.WidestPrefixLength - 1}.", nameof(ipRanges));
            }
        }
    }

    /// <summary>Follows Graph's pages, mapping each inside the read so that any malformed page is an ENTRA054.</summary>
    private async Task<IReadOnlyList<TItem>> ListPagesAsync<TResource, TItem>(
        Uri first,
        GraphOperation operation,
        JsonTypeInfo<GraphPage<TResource>> pageType,
        Func<TResource, TItem> toModel,
        CancellationToken cancellationToken,
        Action<HttpRequestMessage>? prepare = null)
        where TResource : class
    {
        var items = new List<TItem>();
        Uri? next = first;
        for (var page = 0; next is not null; page++)
        {
            if (page == MaxPages)
            {
                throw new EntraException(EntraErrorCode.UnexpectedResponse, $"Graph returned more than {MaxPages} pages");
            }

            next = await SendAsync(
                HttpMethod.Get,
                next,
                content: null,
                operation,
                async (body, token) =>
                {
                    var page = await Read(body, pageType, token).ConfigureAwait(false);
                    foreach (var resource in page.Value ?? throw new JsonException("The page has no value array."))
                    {
                        items.Add(toModel(resource ?? throw new JsonException("The page holds a null entry.")));
                    }

                    return NextPage(page.NextLink);
                },
                cancellationToken,
                prepare).ConfigureAwait(false);
        }

        return items;
    }

    private static async Task<NamedLocation> ReadLocationAsync(Stream body, CancellationToken cancellationToken) =>
        ToModel(await Read(body, GraphJsonContext.Default.NamedLocationResource, cancellationToken).ConfigureAwait(false));

    private static async Task<T> Read<T>(Stream body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false) ?? throw new JsonException("The body is JSON null.");

    private static NamedLocation ToModel(NamedLocationResource resource)
    {
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new JsonException("The named location has no id.");
        }

        var type = resource.ODataType ?? (resource.IpRanges is not null ? IpNamedLocationType : resource.CountriesAndRegions is not null ? CountryNamedLocationType : null);
        return type switch
        {
            IpNamedLocationType => new IpNamedLocation(
                resource.Id,
                resource.DisplayName ?? string.Empty,
                resource.CreatedDateTime,
                resource.ModifiedDateTime,
                resource.IsTrusted ?? false,
                resource.IpRanges ?? throw new JsonException("The IP named location has no ipRanges.")),
            CountryNamedLocationType => new CountryNamedLocation(
                resource.Id,
                resource.DisplayName ?? string.Empty,
                resource.CreatedDateTime,
                resource.ModifiedDateTime,
                resource.CountriesAndRegions ?? [],
                resource.IncludeUnknownCountriesAndRegions ?? false),
            _ => throw new JsonException($"'{ShownText.Of(type)}' is not a named location type this SDK knows."),
        };
    }

    private static ConditionalAccessPolicy ToModel(PolicyResource resource) => new(
        resource.Id ?? throw new JsonException("A policy has no id."),
        resource.DisplayName ?? string.Empty,
        resource.State switch
        {
            "enabled" => ConditionalAccessPolicyState.Enabled,
            "disabled" => ConditionalAccessPolicyState.Disabled,
            "enabledForReportingButNotEnforced" => ConditionalAccessPolicyState.EnabledForReportingButNotEnforced,
            _ => ConditionalAccessPolicyState.Unknown,
        },
        resource.Conditions?.Locations?.IncludeLocations ?? ImmutableArray<string>.Empty,
        resource.Conditions?.Locations?.ExcludeLocations ?? ImmutableArray<string>.Empty)
    {
        ContinuousAccessEvaluation = PolicySessionWire.Mode(resource.SessionControls?.ContinuousAccessEvaluation),
        SignInFrequency = PolicySessionWire.Frequency(resource.SessionControls?.SignInFrequency),
    };

    private static EntraException NotAnIpLocation(NamedLocation location) =>
        new(EntraErrorCode.NotAnIpNamedLocation, $"'{ShownText.Of(location.DisplayName)}' ({ShownText.Of(location.Id)}) is a {(location is CountryNamedLocation ? "countries" : "non-IP")} location");

    private static Uri? NextPage(string? nextLink)
    {
        if (nextLink is null)
        {
            return null;
        }

        return Uri.TryCreate(nextLink, UriKind.Absolute, out var uri)
            ? uri
            : throw new JsonException("The next-page link is not an absolute URL.");
    }

    private Uri Location(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return new Uri(_namedLocations.AbsoluteUri + "/" + Uri.EscapeDataString(id.Trim()));
    }

    private async Task<T> SendAsync<T>(HttpMethod method, Uri uri, HttpContent? content, GraphOperation operation, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        var clientRequestId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.Add(Json);
        request.Headers.TryAddWithoutValidation("client-request-id", clientRequestId);
        prepare?.Invoke(request);
        var started = _timeProvider.GetTimestamp();
        using var bodyDeadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var requestId = GraphFailures.Header(response, "request-id");
            bodyDeadline.CancelAfter(_bodyTimeout);
            using var bodyCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bodyDeadline.Token);
            var bodyToken = bodyCancellation.Token;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsedMs = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
                Log.GraphCallCompleted(_logger, method.Method, uri.AbsolutePath, (int)response.StatusCode, elapsedMs, clientRequestId, requestId);
            }

            if (!response.IsSuccessStatusCode || (int)response.StatusCode >= 300)
            {
                var failure = await GraphFailures.FromResponseAsync(response, operation, clientRequestId, bodyToken).ConfigureAwait(false);
                if (failure.Code == EntraErrorCode.NamedLocationNotFound && operation == GraphOperation.DeleteLocation
                    && request.Options.TryGetValue(GraphRequestOptions.WasRetried, out var retried) && retried)
                {
                    // An earlier attempt of this DELETE reached Graph and its answer was lost: the location is gone as asked.
                    return await read(Stream.Null, bodyToken).ConfigureAwait(false);
                }

                throw failure;
            }

            if (response.StatusCode != operation.ExpectedStatus())
            {
                throw new EntraException(
                    new EntraFailure(EntraErrorCode.UnexpectedResponse)
                    {
                        Detail = $"Graph answers this call with {(int)operation.ExpectedStatus()}, but the answer was {(int)response.StatusCode} (a proxy or network sign-in page?)",
                        StatusCode = response.StatusCode,
                        RequestId = requestId,
                        ClientRequestId = clientRequestId,
                    },
                    innerException: null);
            }

            try
            {
                if (response.Content.Headers.ContentLength > MaxResponseBytes)
                {
                    throw new JsonException($"The body announces {response.Content.Headers.ContentLength} bytes, more than {MaxResponseBytes}.");
                }

                var body = new BoundedReadStream(await response.Content.ReadAsStreamAsync(bodyToken).ConfigureAwait(false), MaxResponseBytes);
                await using (body.ConfigureAwait(false))
                {
                    return await read(body, bodyToken).ConfigureAwait(false);
                }
            }
            catch (JsonException exception)
            {
                throw new EntraException(
                    new EntraFailure(EntraErrorCode.UnexpectedResponse)
                    {
                        Detail = $"the body of a {(int)response.StatusCode} answer is not the expected JSON ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}): {exception.Message}",
                        StatusCode = response.StatusCode,
                        RequestId = requestId,
                        ClientRequestId = clientRequestId,
                    },
                    exception);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException exception) when (bodyDeadline.IsCancellationRequested)
        {
            var failure = new EntraException(
                new EntraFailure(EntraErrorCode.Timeout) { Detail = "the answer's body did not arrive in time", IsTransient = true, ClientRequestId = clientRequestId },
                exception);
            Log.Failure(_logger, failure);
            throw failure;
        }
        catch (EntraException exception)
        {
            Log.Failure(_logger, exception);
            throw;
        }
        catch (Exception exception) when (NetworkFailures.TryMap(exception, clientRequestId) is { } failure)
        {
            Log.Failure(_logger, failure);
            throw failure;
        }
    }
}
