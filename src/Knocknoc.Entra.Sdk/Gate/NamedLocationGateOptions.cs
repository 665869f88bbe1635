using System.Security.Cryptography.X509Certificates;
using Knocknoc.Entra.Sdk.Authentication;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk;

/// <summary>Everything a <see cref="NamedLocationGate"/> needs: which location, how to reach Graph, and how to keep it.</summary>
public sealed class NamedLocationGateOptions
{
    /// <summary>The sentinel written when nothing is granted: TEST-NET-1's first address, which no user ever has.</summary>
    public static readonly Cidr DefaultSentinel = Cidr.Parse("192.0.2.0/32");

    /// <summary>Gets or sets the gate's name: its key among several gates in one process, and a tag on its logs and metrics.</summary>
    /// <value>The default value is <c>default</c>.</value>
    public string Name { get; set; } = "default";

    /// <summary>Gets or sets the id (a GUID) of the IP named location to keep. Set this or <see cref="LocationDisplayName"/>.</summary>
    /// <value>The default value is null.</value>
    public string? LocationId { get; set; }

    /// <summary>
    /// Gets or sets the display name of the location, resolved once at start; a name that matches none is ENTRA052, one
    /// that matches several is ENTRA061. Set this or <see cref="LocationId"/>.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? LocationDisplayName { get; set; }

    /// <summary>Gets or sets the guard on the location's display name; the gate refuses (ENTRA060) to write a location it fails.</summary>
    /// <value>The default value is null: no guard.</value>
    public LocationNameGuard? NameGuard { get; set; }

    /// <summary>Gets or sets whose ranges the location holds.</summary>
    /// <value>The default value is <see cref="LocationOwnership.Exclusive"/>.</value>
    public LocationOwnership Ownership { get; set; } = LocationOwnership.Exclusive;

    /// <summary>
    /// Gets or sets the address written when nothing is granted, since Graph refuses an empty list; never reported as
    /// a grant. It must be one no user can have: a documentation or reserved address.
    /// </summary>
    /// <value>The default value is <c>192.0.2.0/32</c>.</value>
    public Cidr Sentinel { get; set; } = DefaultSentinel;

    /// <summary>Gets or sets the most ranges the gate writes; a grant that would need more is refused (ENTRA058), never widened to fit.</summary>
    /// <value>The default value is 2000, Graph's own limit.</value>
    public int MaxRanges { get; set; } = GraphLimits.MaxIpRanges;

    /// <summary>Gets or sets which addresses may be granted, and how wide an IPv6 grant is.</summary>
    /// <value>The default value is <see cref="GrantAddressPolicy.Default"/>: public unicast hosts only.</value>
    public GrantAddressPolicy AddressPolicy { get; set; } = GrantAddressPolicy.Default;

    /// <summary>Gets or sets how long the gate waits after the first change before writing, so a burst of sign-ins costs one write.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Gets or sets how long after its own write the gate distrusts reads of the location: Graph is eventually
    /// consistent, and a read this soon may still show an older version.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ReadAfterWriteDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how often the gate reads the location to find and undo edits made behind its back; <see cref="Timeout.InfiniteTimeSpan"/> turns this off.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan DriftCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets a value indicating whether every write is read back once <see cref="ReadAfterWriteDelay"/> has passed (and rewritten if Entra differs).</summary>
    /// <value>The default value is false: the periodic drift check is the only read.</value>
    public bool VerifyWrites { get; set; }

    /// <summary>Gets or sets the first wait before a failed write is tried again; it doubles up to <see cref="RetryMaxDelay"/>.</summary>
    /// <value>The default value is 5 seconds (the Graph client has already retried transient failures by then).</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest wait between tries of a failed write; pending changes are retried until Entra confirms them.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets where grants are kept across restarts: a <see cref="FileGrantStore"/> for a process restart, an
    /// <see cref="InMemoryGrantStore"/> shared by gates re-created within one process.
    /// </summary>
    /// <value>The default value is null: grants live in the gate's memory only, and nothing is copied per write.</value>
    public IGrantStore? Store { get; set; }

    /// <summary>Gets or sets opt-in session revocation when a user's last grant ends.</summary>
    /// <value>The default value is null: sessions are never revoked.</value>
    public SessionRevocationOptions? SessionRevocation { get; set; }

    /// <summary>Gets or sets the app's credential (client secret, certificate, assertion or managed identity).</summary>
    /// <value>The default value is null; set this or <see cref="TokenSource"/>, unless the gate is given its own client.</value>
    public EntraCredential? Credential { get; set; }

    /// <summary>Gets or sets a token source used instead of MSAL.</summary>
    /// <value>The default value is null.</value>
    public IAccessTokenSource? TokenSource { get; set; }

    /// <summary>Gets or sets the Entra cloud.</summary>
    /// <value>The default value is <see cref="EntraCloud.Global"/>.</value>
    public EntraCloud Cloud { get; set; } = EntraCloud.Global;

    /// <summary>Gets or sets the Graph client's retries, timeouts and per-tenant pacing.</summary>
    /// <value>The default value is a new <see cref="GraphResilienceOptions"/>.</value>
    public GraphResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// Gets or sets the only roots the gate's own transport trusts (a private CA in front of a custom endpoint): the
    /// server's chain must end in one of them, its name and dates are checked as always, and the machine's roots are
    /// not used. Registered with <c>AddNamedLocationGate</c>, they set the primary handler of the gate's HTTP client.
    /// A <see cref="Transport"/> you set decides trust itself, and these are then not used.
    /// </summary>
    /// <value>The default value is null: the machine's trusted roots.</value>
    public X509Certificate2Collection? TrustedRootCertificates { get; set; }

    /// <summary>Gets or sets the HTTP transport under the SDK's handlers; it must not follow redirects.</summary>
    /// <value>The default value is null: the process-wide default transport.</value>
    public HttpMessageHandler? Transport { get; set; }

    /// <summary>
    /// Gets or sets the handler chain of the host's gate client, whose handlers include the Graph resilience pipeline:
    /// the pipeline is not built again while <see cref="Transport"/> is this chain (a later configuration may replace it).
    /// </summary>
    internal HttpMessageHandler? GateClientHandler { get; set; }

    /// <summary>Gets or sets the clock for expiries, windows and backoff.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets where logs (including the audit events) go.</summary>
    /// <value>The default value is null: no logging.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Gets or sets the typed event hook: retries, throttling, pacing waits, the gate's writes and expiries. See <see cref="Diagnostics.EntraEventObserver"/>.
    /// </summary>
    /// <value>The default value is null: no observer (with DI, an <see cref="Diagnostics.EntraEventObserver"/> registered in the container).</value>
    public Diagnostics.EntraEventObserver? Events { get; set; }

    /// <summary>Gets or sets the random source of the retry jitter; set a seeded one for reproducible tests.</summary>
    /// <value>The default value is null: <see cref="Random.Shared"/>.</value>
    public Random? Random { get; set; }

    /// <summary>Gets what binding these options from configuration found wrong (unknown keys, unusable values), reported by <see cref="Validate"/>.</summary>
    internal List<string> ConfigurationProblems { get; } = [];

    /// <summary>Lists what is wrong with these options, in words an operator can act on; empty when they are usable.</summary>
    /// <param name="needsGraphAccess">Whether the gate builds its own Graph client (and so needs a credential).</param>
    /// <returns>The problems found.</returns>
    public IReadOnlyList<string> Validate(bool needsGraphAccess = true)
    {
        var problems = new List<string>(ConfigurationProblems);
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must not be empty.");
        }

        if (SessionRevocation is { UserOf: null })
        {
            problems.Add("SessionRevocation needs UserOf: the Entra user (object id or user principal name) each grant was issued for.");
        }

        if (string.IsNullOrWhiteSpace(LocationId) == string.IsNullOrWhiteSpace(LocationDisplayName))
        {
            problems.Add("Set exactly one of LocationId and LocationDisplayName.");
        }

        if (LocationId is { Length: > 0 } id && !Guid.TryParse(id, out _))
        {
            problems.Add("LocationId must be the named location's id, a GUID.");
        }

        if (!IsHarmlessSentinel(Sentinel))
        {
            problems.Add("Sentinel must be a single address no user can have: one from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) or a reserved one. A routable address or range in the location would let its holders in.");
        }

        if (Ownership == LocationOwnership.Shared && Store is null)
        {
            problems.Add("Shared ownership needs a Store: without a record of what the gate wrote, a restarted gate would take its own ranges for another writer's and keep them forever.");
        }

        if (MaxRanges is < 1 or > GraphLimits.MaxIpRanges)
        {
            problems.Add($"MaxRanges must be between 1 and {GraphLimits.MaxIpRanges} (Graph's limit per location).");
        }

        CheckSpan(problems, CoalescingWindow, nameof(CoalescingWindow), allowZero: true, allowInfinite: false);
        CheckSpan(problems, ReadAfterWriteDelay, nameof(ReadAfterWriteDelay), allowZero: true, allowInfinite: false);
        CheckSpan(problems, DriftCheckInterval, nameof(DriftCheckInterval), allowZero: false, allowInfinite: true);
        CheckSpan(problems, RetryBaseDelay, nameof(RetryBaseDelay), allowZero: false, allowInfinite: false);
        CheckSpan(problems, RetryMaxDelay, nameof(RetryMaxDelay), allowZero: false, allowInfinite: false);
        if (RetryMaxDelay < RetryBaseDelay)
        {
            problems.Add("RetryMaxDelay must not be shorter than RetryBaseDelay.");
        }

        if (AddressPolicy is null)
        {
            problems.Add("AddressPolicy must be set.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must be set.");
        }

        if (needsGraphAccess)
        {
            if (Credential is null && TokenSource is null)
            {
                problems.Add("Set Credential (or TokenSource) to sign in to Entra.");
            }

            if (Cloud is null)
            {
                problems.Add("Cloud must be set.");
            }

            if (Resilience is null)
            {
                problems.Add("Resilience must be set.");
            }
            else
            {
                problems.AddRange(Resilience.Problems().Select(problem => problem.Text));
            }
        }

        return problems;
    }

    // Documentation ranges are not public either: one table (the IANA registries) decides.
    private static bool IsHarmlessSentinel(Cidr sentinel) =>
        sentinel.IsHost && GrantAddressPolicy.Classify(sentinel.BaseAddress) != AddressCategory.Public;

    private static void CheckSpan(List<string> problems, TimeSpan value, string name, bool allowZero, bool allowInfinite)
    {
        if (value == Timeout.InfiniteTimeSpan ? !allowInfinite : value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > TimeSpan.FromDays(1))
        {
            problems.Add($"{name} is out of range ({value}).");
        }
    }
}
