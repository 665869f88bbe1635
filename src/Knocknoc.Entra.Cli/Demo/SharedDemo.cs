using System.Diagnostics;
using System.Globalization;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Cli.Shared;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.PostgreSql;
using Knocknoc.Entra.Sdk.Testing;
using Npgsql;

namespace Knocknoc.Entra.Cli.Demo;

/// <summary>
/// <c>knocknoc-entra demo --postgres</c>: two agents of one location on the embedded emulator share its grants through
/// a real PostgreSQL database. A grant through each, the writer killed as a crash would, the other taking over, nothing
/// lost. Every claim it prints is checked against the emulated Entra and the table itself (a failed check is shown
/// and fails the demo), and the demo's rows stay in the database for inspection.
/// </summary>
internal sealed class SharedDemo : IAsyncDisposable
{
    /// <summary>The location's name in the emulated tenant.</summary>
    public const string LocationName = "knocknoc_demo_shared";

    /// <summary>Where the connection string comes from, for messages (never the string itself).</summary>
    public const string Source = "--postgres";

    // A short lease so the takeover shows in seconds (the default, 5 s renewed every second, bounds it at 6 s), but
    // not so short that a loaded machine stalling the writer's renewals for 2 s passes the lease on before the kill
    // (seen in CI at a load average of 75 with a 2 s lease).
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Renew = TimeSpan.FromMilliseconds(500);

    private readonly CliConsole _console;
    private readonly NpgsqlDataSource _database;
    private readonly AutoAdvancingTimeProvider _clock;
    private readonly EntraEmulator _emulator;
    private readonly EmulatedTenant _tenant;
    private readonly EmulatedApplication _application;
    private readonly EmulatedNamedLocation _location;
    private readonly List<PostgreSqlNamedLocationGate> _agents = [];

    private SharedDemo(CliConsole console, NpgsqlDataSource database)
    {
        _console = console;
        _database = database;

        // Pacing and coalescing waits pass at once; the lease runs on real time, as the database's clock does.
        _clock = new AutoAdvancingTimeProvider(TimeProvider.System.GetUtcNow()) { AutoFireBelow = TimeSpan.FromSeconds(30) };
        _emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = _clock, Seed = 2026, TokenLifetime = TimeSpan.FromDays(1) });
        _tenant = _emulator.AddTenant();
        _application = _tenant.AddApplication();
        _location = _tenant.AddIpNamedLocation(LocationName, [NamedLocationGateOptions.DefaultSentinel.ToString()]);
        Key = $"knocknoc-entra-demo/{Guid.NewGuid():N}";
    }

    /// <summary>Gets the location's key in the database: a new one per run, so runs never mix.</summary>
    public string Key { get; }

    /// <summary>Gets how many checks failed.</summary>
    public int Errors { get; private set; }

    /// <summary>Plays the demo against the database <paramref name="connection"/> names.</summary>
    /// <param name="console">Where it is told.</param>
    /// <param name="connection">The connection string; never shown.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <returns>How many checks failed: 0 when every step did what it showed.</returns>
    public static async Task<int> RunAsync(CliConsole console, string connection, CancellationToken cancellationToken)
    {
        await using var demo = new SharedDemo(console, SharedLocation.OpenDatabase(connection, Source));
        try
        {
            return await demo.PlayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EntraException error) when (SharedLocation.IsDatabaseFailure(error))
        {
            throw SharedLocation.Explain(error, Source);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync().ConfigureAwait(false);
        }

        await _database.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<int> PlayAsync(CancellationToken cancellationToken)
    {
        var expires = _clock.GetUtcNow().AddHours(8);
        _console.Line($"knocknoc-entra demo --postgres: two agents keep the IP named location '{LocationName}' together, their grants shared through PostgreSQL.");
        _console.Note($"The Entra emulator runs in this process; the database is yours. The writer's lease lasts {Lease.TotalSeconds:0} s, renewed every {Renew.TotalSeconds:0.0} s. The location's key in the database: {Key}");

        Step("Two agents start on one location");
        var first = await StartAgentAsync("agent-A", cancellationToken).ConfigureAwait(false);
        var second = await StartAgentAsync("agent-B", cancellationToken).ConfigureAwait(false);
        var deadWriter = first.WriterGeneration ?? 0;
        Did($"agent-A is the writer (generation {deadWriter}): only it calls Graph. agent-B stores its changes and waits for the writer's confirmation.");
        Expect(first.IsWriter && !second.IsWriter, "agent-A, started first, is the only writer");
        await StateAsync([], cancellationToken).ConfigureAwait(false);

        Step("A grant through each agent");
        await first.GrantAsync("alice", "203.0.113.10", expires, cancellationToken).ConfigureAwait(false);
        Did("alice 203.0.113.10/32 through agent-A: stored in the table and written by agent-A itself.");
        await second.GrantAsync("bob", "198.51.100.20", expires, cancellationToken).ConfigureAwait(false);
        Did("bob 198.51.100.20/32 through agent-B: stored in the table, written by agent-A, confirmed to agent-B.");
        await StateAsync(["203.0.113.10/32", "198.51.100.20/32"], cancellationToken).ConfigureAwait(false);

        Step("agent-A, the writer, is killed");
        await first.AbandonAsync().ConfigureAwait(false);
        _agents.Remove(first);
        Did("Killed as a crash would: its lease is not given up and nothing more is recorded; the lease runs out on the database's clock.");

        Step("A grant through agent-B while no agent writes");
        var watch = Stopwatch.StartNew();
        await second.GrantAsync("carol", "203.0.113.30", expires, cancellationToken).ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        Did($"agent-B took the lease (generation {second.WriterGeneration}), read Entra, converged it to the table and wrote carol 203.0.113.30/32: {seconds} s after the kill.");
        Expect(second.IsWriter && second.WriterGeneration > deadWriter, "agent-B is the writer with a newer generation than the dead writer's");
        await StateAsync(["203.0.113.10/32", "198.51.100.20/32", "203.0.113.30/32"], cancellationToken).ConfigureAwait(false);

        Step("A revocation through the new writer");
        var revoked = await second.RevokeAsync("bob", cancellationToken).ConfigureAwait(false);
        Did($"bob's grant ended through agent-B: {revoked.Network} {(revoked.AddressRemoved ? "left Entra" : "stays for others")}.");
        Expect(revoked.AddressRemoved, "bob's address left Entra");
        await StateAsync(["203.0.113.10/32", "203.0.113.30/32"], cancellationToken).ConfigureAwait(false);

        _console.Line();
        var summary = $"demo done: the writer killed, agent-B took over, nothing lost (alice granted before the kill, carol after it, bob's revocation), {Errors} errors";
        _console.Note($"The demo's rows stay in the database; remove them with: DELETE FROM knocknoc_entra.locations WHERE location_key = '{Key}';");
        if (Errors == 0)
        {
            _console.Success(summary);
        }
        else
        {
            _console.Failure(summary);
        }

        return Errors;
    }

    private async Task<PostgreSqlNamedLocationGate> StartAgentAsync(string name, CancellationToken cancellationToken)
    {
        // Every wait of the agents' gates stays under the clock's 30 s, which pass at once: nothing here moves the
        // clock further, so a longer wait (a read's 60 s trust delay, a 2-minute retry backoff) would never end.
        var options = DemoWorld.GateOptions(_emulator, _tenant, _application, _location, _clock);
        options.ReadAfterWriteDelay = TimeSpan.FromSeconds(10);
        options.RetryBaseDelay = TimeSpan.FromSeconds(2);
        options.RetryMaxDelay = TimeSpan.FromSeconds(20);
        var agent = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
        {
            DataSource = _database,
            LocationKey = Key,
            AgentName = name,
            LeaseDuration = Lease,
            RenewInterval = Renew,

            // The new writer's read for a late write of the dead one: due at once on the emulated clock.
            LateWriteWindow = TimeSpan.FromSeconds(5),
            Gate = options,
        });
        _agents.Add(agent);
        await agent.StartAsync(cancellationToken).ConfigureAwait(false);
        return agent;
    }

    /// <summary>Shows Entra, the table and the writer, and checks Entra is exactly the table and what the step expects.</summary>
    private async Task StateAsync(string[] expected, CancellationToken cancellationToken)
    {
        var entra = CidrSet.Create(_tenant.FindNamedLocation(_location.Id)!.IpRanges.Select(Cidr.Parse));
        var rows = new List<(string Id, string Network, string By)>();
        await using (var command = _database.CreateCommand("SELECT grant_id, network, granted_by FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > @now ORDER BY granted_at, grant_id"))
        {
            command.Parameters.AddWithValue("k", Key);
            command.Parameters.AddWithValue("now", _clock.GetUtcNow());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        await using var writer = _database.CreateCommand("SELECT coalesce(writer, '-'), writer_generation FROM knocknoc_entra.locations WHERE location_key = @k");
        writer.Parameters.AddWithValue("k", Key);
        await using var lease = await writer.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var (holder, generation) = await lease.ReadAsync(cancellationToken).ConfigureAwait(false) ? (lease.GetString(0), lease.GetInt64(1)) : ("-", 0L);

        _console.Line($"    Entra holds: {string.Join(", ", entra.ToCidrs())}");
        _console.Line($"    the table:   {(rows.Count == 0 ? "no grants" : string.Join(", ", rows.Select(r => $"{r.Id} {r.Network} (by {r.By})")))}");
        _console.Note($"    the lease:   {holder}, generation {generation}");
        var table = CidrSet.Create(rows.Select(r => Cidr.Parse(r.Network)));
        var wanted = expected.Length == 0 ? CidrSet.Create([NamedLocationGateOptions.DefaultSentinel]) : CidrSet.Create(expected.Select(Cidr.Parse));
        Expect(entra.Equals(table.IsEmpty ? CidrSet.Create([NamedLocationGateOptions.DefaultSentinel]) : table), "Entra holds exactly the table's live grants");
        Expect(entra.Equals(wanted), $"Entra holds {string.Join(", ", wanted.ToCidrs())}");
    }

    private void Step(string title) => _console.Heading($"{_clock.GetUtcNow():HH:mm:ss}  {title}");

    private void Did(string text) => _console.Line("  " + text);

    private void Expect(bool holds, string what)
    {
        if (!holds)
        {
            Errors++;
            _console.Failure($"  UNEXPECTED: {what} did not hold");
        }
    }
}
