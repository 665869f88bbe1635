using System.Text.Json;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.PostgreSql;
using Knocknoc.Entra.Sdk.PostgreSql.Tests;
using Knocknoc.Entra.Sdk.Testing;
using Npgsql;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// <c>postgres_connection</c>: <c>grant</c>, <c>revoke</c>, <c>flush</c>, <c>expire</c> and <c>script</c> as processes that
/// share one location's grants with agent hosts through the test database, instead of the local state.
/// </summary>
public class SharedDatabaseCommandTests
{
    private const string Variable = "KNOCKNOC_ENTRA_POSTGRES_CONNECTION";

    [Test]
    public async Task Grant_revoke_and_flush_go_through_the_shared_table_and_leave_the_local_state_alone()
    {
        await using var tenant = await LoopbackTenant.StartAsync(configure: Seeded(1301));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_shared", ["192.0.2.0/32"]);
        var environment = SharedEnvironment(tenant, location.Id);

        var granted = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), environment);
        var timed = await CliProcess.RunAsync(tenant.Arguments("grant", "198.51.100.8", "--for", "8h", "--json"), environment);

        Assert.That(granted.ExitCode, Is.Zero, granted.Errors);
        Assert.That(granted.Output, Does.Contain("+ 203.0.113.7/32  (grant 203.0.113.7/32)").And.Contain("written by this process as the location's writer"));
        Assert.That(timed.ExitCode, Is.Zero, timed.Errors);
        using (var report = JsonDocument.Parse(timed.Output))
        {
            Assert.That(report.RootElement.GetProperty("range").GetString(), Is.EqualTo("198.51.100.8/32"));
            Assert.That(report.RootElement.GetProperty("expires").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddHours(7)));
        }

        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "198.51.100.8/32", "203.0.113.7/32" }));
        var rows = await RowsAsync(location.Id);
        Assert.That(rows.Keys, Is.EquivalentTo(new[] { "203.0.113.7/32", "198.51.100.8/32" }), "each grant is a row of the shared table, keyed by its network");
        Assert.That(rows["203.0.113.7/32"], Is.GreaterThan(DateTimeOffset.UtcNow.AddYears(100)), "a grant without --for stays until revoked");
        Assert.That(Directory.Exists(Path.Combine(tenant.Directory, "state")), Is.False, "the local state is not used");

        var revoked = await CliProcess.RunAsync(tenant.Arguments("revoke", "203.0.113.7"), environment);
        var unknown = await CliProcess.RunAsync(tenant.Arguments("revoke", "203.0.113.99"), environment);

        Assert.That(revoked.ExitCode, Is.Zero, revoked.Errors);
        Assert.That(revoked.Output, Does.Contain("- 203.0.113.7/32"));
        Assert.That(unknown.ExitCode, Is.Zero, unknown.Errors);
        Assert.That(unknown.Output, Does.Contain("no grant 203.0.113.99/32 in the shared table; nothing changed"));
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "198.51.100.8/32" }));
        Assert.That((await RowsAsync(location.Id)).Keys, Is.EqualTo(new[] { "198.51.100.8/32" }));

        var flushed = await CliProcess.RunAsync(tenant.Arguments("flush"), environment);
        var expired = await CliProcess.RunAsync(tenant.Arguments("expire"), environment);

        Assert.That(flushed.ExitCode, Is.Zero, flushed.Errors);
        Assert.That(flushed.Output, Does.Contain("every grant: 1 ended"));
        Assert.That(expired.ExitCode, Is.Zero, expired.Errors);
        Assert.That(expired.Output, Does.Contain("Entra holds the table's live grants"));
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "192.0.2.0/32" }));
        Assert.That(await RowsAsync(location.Id), Is.Empty);
    }

    [Test]
    public async Task The_tool_and_an_agent_host_share_one_truth_and_the_agent_writes_the_tools_grant()
    {
        await using var tenant = await LoopbackTenant.StartAsync(configure: Seeded(1302));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_vpn", ["192.0.2.0/32"]);
        await using var database = TestDatabase.Create("cli-agent-host");
        await using var agent = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
        {
            DataSource = database,
            AgentName = "agent-host",
            Gate = new NamedLocationGateOptions
            {
                LocationId = location.Id,
                Credential = EntraCredential.ClientSecret(tenant.Tenant.TenantId, tenant.Application.ClientId, tenant.Application.ClientSecret),
                Cloud = EntraEmulator.Cloud,
                Transport = tenant.Emulator.CreateHandler(),
                AddressPolicy = Cli.Configuration.CliAddressPolicy.Value, // the tool's, so the same addresses are granted
            },
        });
        await agent.StartAsync();
        await agent.GrantAsync("alice", "203.0.113.1", DateTimeOffset.UtcNow.AddHours(1));
        Assert.That(agent.IsWriter, Is.True, "the host's agent, started first, is the writer");

        var script = await CliProcess.RunAsync(tenant.Arguments("script", "add", "vpn", "198.51.100.2"), SharedEnvironment(tenant, null));

        Assert.That(script.ExitCode, Is.Zero, script.Errors);
        Assert.That(script.Output, Does.Contain("script add vpn 198.51.100.2/32: done (confirmed by the location's writer, another agent)"));
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "198.51.100.2/32", "203.0.113.1/32" }), "the agent host wrote the tool's grant beside its own");
        Assert.That(agent.IsWriter, Is.True, "the tool did not take the lease from a live writer");

        // The tool's grant of the host's address is a grant of its own: revoking it leaves the host's, and names it.
        var mine = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.1"), SharedEnvironment(tenant, location.Id));
        var revoked = await CliProcess.RunAsync(tenant.Arguments("revoke", "203.0.113.1"), SharedEnvironment(tenant, location.Id));

        Assert.That(mine.ExitCode, Is.Zero, mine.Errors);
        Assert.That(revoked.ExitCode, Is.Zero, revoked.Errors);
        Assert.That(revoked.Output, Does.Contain("- 203.0.113.1/32  (grant 203.0.113.1/32); still granted to alice"));
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "198.51.100.2/32", "203.0.113.1/32" }));
        Assert.That((await RowsAsync(location.Id)).Keys, Is.EquivalentTo(new[] { "alice", "198.51.100.2/32" }));

        var flushed = await CliProcess.RunAsync(tenant.Arguments("script", "flush", "vpn"), SharedEnvironment(tenant, null));

        Assert.That(flushed.ExitCode, Is.Zero, flushed.Errors);
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "192.0.2.0/32" }), "a flush ends the host's grants too");
        Assert.That(await RowsAsync(location.Id), Is.Empty);
    }

    [Test]
    public async Task A_connection_string_that_is_not_one_or_a_database_that_refuses_the_login_is_a_configuration_error_that_never_shows_the_password()
    {
        await using var tenant = await LoopbackTenant.StartAsync(configure: Seeded(1303));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_shared", ["192.0.2.0/32"]);
        var wrongPassword = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Password = "hunter2-not-it" }.ConnectionString;
        var unreachable = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Host = "127.0.0.1", Port = 1, Password = "hunter2-not-it" }.ConnectionString;

        var malformed = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), SharedEnvironment(tenant, location.Id, "Host=db;Password=hunter2-not-it;Nonsense"));
        var refused = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), SharedEnvironment(tenant, location.Id, wrongPassword));
        var down = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), SharedEnvironment(tenant, location.Id, unreachable));

        Assert.Multiple(() =>
        {
            Assert.That(malformed.ExitCode, Is.EqualTo(ExitCodes.Configuration), malformed.Errors);
            Assert.That(malformed.Errors, Does.Contain("postgres_connection is not a PostgreSQL connection string"));
            Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Configuration), refused.Errors);
            Assert.That(refused.Errors, Does.Contain("the shared database (postgres_connection) refused the login (SQLSTATE 28P01)"));
            Assert.That(down.ExitCode, Is.EqualTo(ExitCodes.State), down.Errors);
            Assert.That(down.Errors, Does.Contain("ENTRA063").And.Contain("the shared database (postgres_connection) cannot be reached"));
            foreach (var run in new[] { malformed, refused, down })
            {
                Assert.That(run.Output + run.Errors, Does.Not.Contain("hunter2"));
            }
        });
        Assert.That(Entra(tenant, location.Id), Is.EqualTo(new[] { "192.0.2.0/32" }), "nothing was granted");
        Assert.That(tenant.Patches, Is.Zero);
    }

    [Test]
    public async Task Doctor_reads_the_shared_database_without_changing_it_and_names_an_unreachable_one_without_the_password()
    {
        await using var tenant = await LoopbackTenant.StartAsync(configure: Seeded(1305));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_doctor", ["192.0.2.0/32"]);
        var granted = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7"), SharedEnvironment(tenant, location.Id));
        Assert.That(granted.ExitCode, Is.Zero, granted.Errors);
        var before = await LocationRowAsync(location.Id);

        var healthy = await CliProcess.RunAsync(tenant.Arguments("doctor", "--json"), SharedEnvironment(tenant, location.Id));
        var unreachable = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Port = 1, Timeout = 2, Password = "do-not-show-me" }.ConnectionString;
        var down = await CliProcess.RunAsync(tenant.Arguments("doctor", "--json"), SharedEnvironment(tenant, location.Id, unreachable));

        var shared = Check(healthy.Output, "shared database");
        Assert.That(shared.GetProperty("status").GetString(), Is.EqualTo("ok"), healthy.Output);
        Assert.That(shared.GetProperty("detail").GetString(), Does.Contain("1 live grant(s)").And.Contain("no live writer").And.Contain("every change is confirmed in Entra"));
        Assert.That(await LocationRowAsync(location.Id), Is.EqualTo(before), "doctor changed nothing in the database");
        var failed = Check(down.Output, "shared database");
        Assert.That(down.ExitCode, Is.EqualTo(ExitCodes.Failure), down.Output + down.Errors);
        Assert.That((failed.GetProperty("status").GetString(), failed.GetProperty("code").GetString()), Is.EqualTo(("fail", "ENTRA063")));
        Assert.That(failed.GetProperty("detail").GetString(), Does.Contain("cannot be reached"));
        Assert.That(down.Output + down.Errors, Does.Not.Contain("do-not-show-me"));
    }

    private static JsonElement Check(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Single(check => check.GetProperty("name").GetString() == name).Clone();
    }

    private static async Task<string> LocationRowAsync(string locationId)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT concat_ws(' ', writer, writer_generation, version, confirmed_version, failed_version) FROM knocknoc_entra.locations WHERE location_key = @k");
        command.Parameters.AddWithValue("k", locationId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task Dry_run_is_refused_with_the_shared_table()
    {
        await using var tenant = await LoopbackTenant.StartAsync(configure: Seeded(1304));
        var location = tenant.Tenant.AddIpNamedLocation("knocknoc_shared", ["192.0.2.0/32"]);

        var run = await CliProcess.RunAsync(tenant.Arguments("grant", "203.0.113.7", "--dry-run"), SharedEnvironment(tenant, location.Id));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.Errors);
        Assert.That(run.Errors, Does.Contain("--dry-run").And.Contain("postgres_connection"));
    }

    /// <summary>
    /// An emulator of its own seed: the tool keys a location's rows by its id, and emulators of one seed give the same
    /// ids, so each test's location has rows of its own in the shared database.
    /// </summary>
    private static Action<EntraEmulatorOptions> Seeded(int seed) => options => options.Seed = seed;

    private static Dictionary<string, string?> SharedEnvironment(LoopbackTenant tenant, string? locationId, string? connection = null) =>
        new(tenant.Environment(locationId)) { [Variable] = connection ?? TestDatabase.ConnectionString() };

    private static IReadOnlyList<string> Entra(LoopbackTenant tenant, string locationId) =>
        [.. tenant.Tenant.FindNamedLocation(locationId)!.IpRanges.Order(StringComparer.Ordinal)];

    /// <summary>The location's rows in the shared table: grant id and expiry, read from the database itself.</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> RowsAsync(string locationId)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT grant_id, expires_at FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > now()");
        command.Parameters.AddWithValue("k", locationId);
        var rows = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return rows;
    }
}
