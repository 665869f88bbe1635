using Knocknoc.Entra.Sdk.Testing.Rules;

namespace Knocknoc.Entra.Sdk.Testing;

/// <summary>
/// An emulated Entra ID: the client-credentials token endpoint and Graph v1.0 named locations and Conditional Access
/// policies, with Entra's rules and, on demand, its bad days. Use <see cref="CreateHandler"/> as the transport of the
/// SDK (or any HttpClient) and <see cref="Cloud"/> as its cloud. Thread-safe.
/// </summary>
public sealed class EntraEmulator
{
    private readonly Dictionary<string, EmulatedTenant> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Queue<EmulatedFault> _faults = new();
    private readonly List<EmulatorJournalEntry> _journal = [];
    private readonly Random _random;

    /// <summary>Creates an emulator with no tenant.</summary>
    /// <param name="options">Its behaviour; the defaults play Entra as documented.</param>
    public EntraEmulator(EntraEmulatorOptions? options = null)
    {
        Options = options ?? new EntraEmulatorOptions();
        _random = new Random(Options.Seed);
    }

    /// <summary>Gets the sign-in host the emulator answers as (any host works; this one never resolves).</summary>
    public static Uri AuthorityHost { get; } = new("https://login.entra-emulator.test/");

    /// <summary>Gets the Graph root the emulator answers as.</summary>
    public static Uri GraphRoot { get; } = new("https://graph.entra-emulator.test/");

    /// <summary>Gets the cloud to configure the SDK with: <see cref="AuthorityHost"/> and <see cref="GraphRoot"/>.</summary>
    public static EntraCloud Cloud { get; } = EntraCloud.Custom(AuthorityHost, GraphRoot);

    /// <summary>
    /// Gets every rule of Entra and Graph the emulator enforces, with its source. A refusal names its rule in the
    /// <see cref="EmulatorRule.Header"/> answer header.
    /// </summary>
    public static IReadOnlyList<EmulatorRule> Rules => GraphRules.All;

    /// <summary>Gets the options it runs with.</summary>
    public EntraEmulatorOptions Options { get; }

    /// <summary>Gets every request answered so far, oldest first.</summary>
    public IReadOnlyList<EmulatorJournalEntry> Journal
    {
        get
        {
            lock (Gate)
            {
                return [.. _journal];
            }
        }
    }

    internal Lock Gate { get; } = new();

    /// <summary>Adds a tenant.</summary>
    /// <param name="tenantId">Its id (or domain); a new GUID when null.</param>
    /// <returns>The tenant.</returns>
    public EmulatedTenant AddTenant(string? tenantId = null)
    {
        lock (Gate)
        {
            var tenant = new EmulatedTenant(this, tenantId ?? NewId());
            _tenants.Add(tenant.TenantId, tenant);
            return tenant;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> Graph requests fail with <paramref name="fault"/> (token requests are not affected).</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="count">How many requests in a row.</param>
    public void FailNext(EmulatedFault fault, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (Gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>
    /// Makes every access token issued so far expire now, as a revoked session or a clock jump would: the next Graph
    /// request with one gets 401 "Access token has expired", and a client must fetch a new token.
    /// </summary>
    public void ExpireTokens()
    {
        lock (Gate)
        {
            var now = Now();
            foreach (var (token, issued) in _tokens.ToList())
            {
                _tokens[token] = issued with { ExpiresOn = now };
            }
        }
    }

    /// <summary>Creates a transport that answers in-process, for the SDK's <c>Transport</c> option or an HttpClient.</summary>
    /// <returns>The handler.</returns>
    public HttpMessageHandler CreateHandler() => new EmulatorHandler(this);

    internal IReadOnlyList<EmulatedTenant> Tenants
    {
        get
        {
            lock (Gate)
            {
                return [.. _tenants.Values];
            }
        }
    }

    internal DateTimeOffset Now() => Options.TimeProvider.GetUtcNow();

    internal void ClearFaultsAndJournal()
    {
        lock (Gate)
        {
            _faults.Clear();
            _journal.Clear();
        }
    }

    internal string NewId()
    {
        lock (Gate)
        {
            Span<byte> bytes = stackalloc byte[16];
            _random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }
    }

    internal string NewSecret()
    {
        lock (Gate)
        {
            Span<byte> bytes = stackalloc byte[24];
            _random.NextBytes(bytes);
            return "emu~" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        }
    }

    internal double NextDouble()
    {
        lock (Gate)
        {
            return _random.NextDouble();
        }
    }

    internal EmulatedTenant? FindTenant(string tenantId)
    {
        lock (Gate)
        {
            return _tenants.GetValueOrDefault(tenantId);
        }
    }

    internal string IssueToken(EmulatedTenant tenant, EmulatedApplication application, string audience)
    {
        var token = "emu." + NewSecret();
        lock (Gate)
        {
            _tokens[token] = new IssuedToken(tenant, application, audience, Now() + Options.TokenLifetime);
        }

        return token;
    }

    internal IssuedToken? FindToken(string token)
    {
        lock (Gate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    internal EmulatedFault? TakeFault()
    {
        lock (Gate)
        {
            return _faults.TryDequeue(out var fault) ? fault : null;
        }
    }

    internal void Record(EmulatorJournalEntry entry)
    {
        lock (Gate)
        {
            _journal.Add(entry);
        }
    }

    internal async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = request.RequestUri?.AbsolutePath ?? "/";
        if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            return await TokenEndpoint.HandleAsync(this, request, cancellationToken).ConfigureAwait(false);
        }

        // Everything else is Graph's, which answers an unknown version or path with its own error body.
        return await GraphEndpoint.HandleAsync(this, request, cancellationToken).ConfigureAwait(false);
    }

    internal sealed record IssuedToken(EmulatedTenant Tenant, EmulatedApplication Application, string Audience, DateTimeOffset ExpiresOn)
    {
        /// <summary>Gets a value indicating whether the token is for Graph by its global name, good wherever the emulator plays Graph.</summary>
        public bool IsForGlobalGraph => TokenEndpoint.IsGlobalGraph(Audience);
    }

    private sealed class EmulatorHandler(EntraEmulator emulator) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            emulator.HandleAsync(request, cancellationToken);
    }
}
