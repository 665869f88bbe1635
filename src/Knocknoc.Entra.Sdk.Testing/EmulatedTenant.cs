using System.Collections.Immutable;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// One emulated Entra tenant: its app registrations, named locations and policies. Changes made here are writes
/// by "someone else" (a second writer, a person in the portal): Graph clients see them as they would see Entra's.
/// </summary>
public sealed partial class EmulatedTenant
{
    private readonly EntraEmulator _emulator;
    private readonly Dictionary<string, EmulatedApplication> _applications = new(StringComparer.OrdinalIgnoreCase);

    // Every write of every location, oldest first: what an eventually consistent read may still return.
    private readonly Dictionary<string, List<(DateTimeOffset At, EmulatedNamedLocation? State)>> _history = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _creationOrder = [];
    private readonly List<EmulatedPolicy> _policies = [];

    internal EmulatedTenant(EntraEmulator emulator, string tenantId)
    {
        _emulator = emulator;
        TenantId = tenantId;
    }

    /// <summary>Gets the tenant (directory) id.</summary>
    public string TenantId { get; }

    /// <summary>Gets the named locations as they are now (what a read sees once the consistency window has passed).</summary>
    public IReadOnlyList<EmulatedNamedLocation> NamedLocations
    {
        get
        {
            lock (_emulator.Gate)
            {
                return [.. _creationOrder.Select(Current).OfType<EmulatedNamedLocation>()];
            }
        }
    }

    /// <summary>Gets the Conditional Access policies.</summary>
    public IReadOnlyList<EmulatedPolicy> Policies
    {
        get
        {
            lock (_emulator.Gate)
            {
                return [.. _policies];
            }
        }
    }

    /// <summary>When the last Graph request was accepted, as a <see cref="TimeProvider"/> timestamp (monotonic, like clients' pacing).</summary>
    internal long? LastAcceptedTimestamp { get; set; }

    /// <summary>Registers an application with a secret and consented permissions.</summary>
    /// <param name="permissions">The consented permissions.</param>
    /// <param name="clientId">Its client id; a new GUID when null.</param>
    /// <param name="clientSecret">Its secret; a random one when null.</param>
    /// <returns>The application.</returns>
    public EmulatedApplication AddApplication(GraphPermissions permissions = GraphPermissions.All, string? clientId = null, string? clientSecret = null)
    {
        var application = new EmulatedApplication(clientId ?? _emulator.NewId(), clientSecret ?? _emulator.NewSecret(), permissions);
        lock (_emulator.Gate)
        {
            _applications.Add(application.ClientId, application);
        }

        return application;
    }

    /// <summary>Creates an IP named location as a person would in the portal: the ranges are stored as written, unchecked.</summary>
    /// <param name="displayName">Its name.</param>
    /// <param name="ipRanges">Its <c>cidrAddress</c> values.</param>
    /// <param name="isTrusted">Whether it is marked trusted.</param>
    /// <returns>The location.</returns>
    public EmulatedNamedLocation AddIpNamedLocation(string displayName, IEnumerable<string> ipRanges, bool isTrusted = false)
    {
        ArgumentNullException.ThrowIfNull(ipRanges);
        return Create(displayName, isCountry: false, isTrusted, [.. ipRanges], []);
    }

    /// <summary>Creates a countries named location.</summary>
    /// <param name="displayName">Its name.</param>
    /// <param name="countriesAndRegions">ISO 3166-1 alpha-2 codes.</param>
    /// <returns>The location.</returns>
    public EmulatedNamedLocation AddCountryNamedLocation(string displayName, params string[] countriesAndRegions) =>
        Create(displayName, isCountry: true, isTrusted: false, [], [.. countriesAndRegions]);

    /// <summary>Adds a Conditional Access policy, in any state, referencing any locations.</summary>
    /// <param name="displayName">Its name.</param>
    /// <param name="state"><c>enabled</c>, <c>disabled</c> or <c>enabledForReportingButNotEnforced</c>.</param>
    /// <param name="includeLocations">Location ids it applies to, or null for no location condition.</param>
    /// <param name="excludeLocations">Location ids it exempts.</param>
    /// <param name="continuousAccessEvaluationMode">Its session control's CAE mode, or null for no session controls.</param>
    /// <returns>The policy.</returns>
    public EmulatedPolicy AddPolicy(string displayName, string state = "enabled", IEnumerable<string>? includeLocations = null, IEnumerable<string>? excludeLocations = null, string? continuousAccessEvaluationMode = null)
    {
        var policy = new EmulatedPolicy(_emulator.NewId(), displayName, state, includeLocations?.ToImmutableArray(), excludeLocations?.ToImmutableArray())
        {
            CreatedDateTime = _emulator.Now(),
            ContinuousAccessEvaluationMode = continuousAccessEvaluationMode,
        };
        lock (_emulator.Gate)
        {
            _policies.Add(policy);
        }

        return policy;
    }

    /// <summary>Edits a Conditional Access policy as a person in the portal would: the policy with the same id is replaced.</summary>
    /// <param name="policy">The policy as it is to be, for instance <c>policy with { State = "disabled" }</c>.</param>
    /// <exception cref="KeyNotFoundException">No policy has its id.</exception>
    public void ReplacePolicy(EmulatedPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_emulator.Gate)
        {
            var index = _policies.FindIndex(p => p.Id == policy.Id);
            _policies[index < 0 ? throw new KeyNotFoundException($"No policy {policy.Id}.") : index] = policy;
        }
    }

    /// <summary>Removes a Conditional Access policy, as a person in the portal would: its locations can then be deleted.</summary>
    /// <param name="policyId">The policy's id.</param>
    /// <returns>True if it existed.</returns>
    public bool RemovePolicy(string policyId)
    {
        lock (_emulator.Gate)
        {
            return _policies.RemoveAll(p => p.Id == policyId) > 0;
        }
    }

    /// <summary>Replaces a location's ranges behind the SDK's back, as a second writer would.</summary>
    /// <param name="locationId">The location.</param>
    /// <param name="ipRanges">The new <c>cidrAddress</c> values, stored as written.</param>
    public void SetIpRanges(string locationId, IEnumerable<string> ipRanges)
    {
        ArgumentNullException.ThrowIfNull(ipRanges);
        lock (_emulator.Gate)
        {
            var current = Current(locationId) ?? throw new KeyNotFoundException($"No named location {locationId}.");
            Write(current with { IpRanges = [.. ipRanges], ModifiedDateTime = _emulator.Now() });
        }
    }

    /// <summary>Finds a location as it is now.</summary>
    /// <param name="locationId">The location's id.</param>
    /// <returns>The location, or null.</returns>
    public EmulatedNamedLocation? FindNamedLocation(string locationId)
    {
        lock (_emulator.Gate)
        {
            return Current(locationId);
        }
    }

    internal IReadOnlyList<EmulatedApplication> Applications
    {
        get
        {
            lock (_emulator.Gate)
            {
                return [.. _applications.Values];
            }
        }
    }

    internal EmulatedApplication? FindApplication(string clientId)
    {
        lock (_emulator.Gate)
        {
            return _applications.GetValueOrDefault(clientId);
        }
    }

    internal int LocationCount => _creationOrder.Count(id => Current(id) is not null);

    internal EmulatedNamedLocation? Current(string id) =>
        _history.TryGetValue(id, out var versions) ? versions[^1].State : null;

    /// <summary>
    /// What a read at <paramref name="now"/> sees: the newest version written at least <paramref name="lag"/> ago or,
    /// when reads flap, any version from that one to the newest, drawn from the emulator's seed.
    /// </summary>
    internal EmulatedNamedLocation? Visible(string id, DateTimeOffset now, TimeSpan lag)
    {
        if (!_history.TryGetValue(id, out var versions))
        {
            return null;
        }

        var stable = versions.Count - 1;
        while (stable >= 0 && versions[stable].At > now - lag)
        {
            stable--;
        }

        if (_emulator.Options.ConsistencyReadsFlap && stable < versions.Count - 1)
        {
            // Index -1 is "not yet there" for a location created within the window.
            var pick = stable + (int)(_emulator.NextDouble() * (versions.Count - stable));
            return pick < 0 ? null : versions[pick].State;
        }

        return stable < 0 ? null : versions[stable].State;
    }

    internal IEnumerable<EmulatedNamedLocation> VisibleLocations(DateTimeOffset now, TimeSpan lag) =>
        _creationOrder.Select(id => Visible(id, now, lag)).OfType<EmulatedNamedLocation>();

    internal void Write(EmulatedNamedLocation location)
    {
        if (!_history.TryGetValue(location.Id, out var versions))
        {
            versions = [];
            _history.Add(location.Id, versions);
            _creationOrder.Add(location.Id);
        }

        versions.Add((_emulator.Now(), location));
    }

    internal void Delete(string id) => _history[id].Add((_emulator.Now(), null));

    private EmulatedNamedLocation Create(string displayName, bool isCountry, bool isTrusted, ImmutableArray<string> ranges, ImmutableArray<string> countries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        lock (_emulator.Gate)
        {
            var now = _emulator.Now();
            var location = new EmulatedNamedLocation(_emulator.NewId(), displayName, isCountry, isTrusted, ranges, countries, now, now);
            Write(location);
            return location;
        }
    }
}
