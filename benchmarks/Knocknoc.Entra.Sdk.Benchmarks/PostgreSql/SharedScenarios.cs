using System.Diagnostics;
using System.Globalization;
using Knocknoc.Entra.Sdk.Benchmarks.Gate;
using Knocknoc.Entra.Sdk.PostgreSql;
using Knocknoc.Entra.Sdk.Testing;
using Npgsql;

namespace Knocknoc.Entra.Sdk.Benchmarks.PostgreSql;

/// <summary>
/// Three agents of one location on a real PostgreSQL, in real time:
/// burst: 1,000 grants (scattered IPv6 documentation addresses) within one second, one per millisecond round-robin over the agents, against the in-process
/// emulator (1 request/s): how many PATCHes reach Entra;
/// latency: 1,000 grants one after another through a non-writer agent and through the writer, over a Graph client
/// that answers without I/O and no coalescing window, so each call's time is what the database adds (store, notify,
/// the writer's read of the table and its record, the confirmation back) plus the gate's own CPU: median and p99;
/// rows and bytes per grant in the table.
/// </summary>
internal static class SharedScenarios
{
    public static async Task RunAsync()
    {
        var connection = Environment.GetEnvironmentVariable("KNOCKNOC_TEST_POSTGRES")
            ?? throw new InvalidOperationException("KNOCKNOC_TEST_POSTGRES is not set: run through tests/postgres/with-postgres.sh");
        await using var database = NpgsqlDataSource.Create(connection);
        await BurstAsync(database);
        await LatencyAsync(database);
    }

    private static async Task BurstAsync(NpgsqlDataSource database)
    {
        var emulator = new EntraEmulator();
        var tenant = emulator.AddTenant();
        var application = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_bench", ["192.0.2.0/32"]);
        var key = "burst-" + Guid.NewGuid().ToString("N");
        var agents = new List<PostgreSqlNamedLocationGate>();
        for (var i = 0; i < 3; i++)
        {
            var agent = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
            {
                DataSource = database,
                LocationKey = key,
                Gate = new NamedLocationGateOptions
                {
                    LocationId = location.Id,
                    Credential = EntraCredential.ClientSecret(tenant.TenantId, application.ClientId, application.ClientSecret),
                    Cloud = EntraEmulator.Cloud,
                    Transport = emulator.CreateHandler(),
                    AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges),
                },
            });
            await agent.StartAsync();
            agents.Add(agent);
        }

        var before = emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH");
        var start = Stopwatch.GetTimestamp();
        var calls = new List<Task>();
        for (var i = 0; i < 1000; i++)
        {
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < i)
            {
                await Task.Delay(1);
            }

            calls.Add(agents[i % 3].GrantAsync($"user{i}", $"2001:db8:{i:x}::1", TimeProvider.System.GetUtcNow().AddHours(1)));
        }

        var issued = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(calls);
        var done = Stopwatch.GetElapsedTime(start);
        var patches = emulator.Journal.Count(e => e.IsGraph && e.Method == "PATCH") - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"burst: 1000 grants issued over {issued.TotalSeconds:0.00} s through 3 agents -> {patches} PATCHes, every call answered {done.TotalSeconds:0.00} s after the first; 429s: {emulator.Journal.Count(e => e.Status == 429)}"));
        await RowsAsync(database, key);
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    private static async Task LatencyAsync(NpgsqlDataSource database)
    {
        var key = "latency-" + Guid.NewGuid().ToString("N");
        var agents = new List<PostgreSqlNamedLocationGate>();
        for (var i = 0; i < 3; i++)
        {
            var agent = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
            {
                DataSource = database,
                LocationKey = key,
                Client = new NoWireClient(),
                Gate = new NamedLocationGateOptions
                {
                    LocationId = NoWireClient.LocationId,
                    CoalescingWindow = TimeSpan.Zero,
                    AddressPolicy = new GrantAddressPolicy(GrantAddressPolicy.DocumentationRanges),
                },
            });
            await agent.StartAsync();
            agents.Add(agent);
        }

        var writer = agents.Single(a => a.IsWriter);
        var follower = agents.First(a => !a.IsWriter);
        foreach (var (name, agent) in new[] { ("a non-writer agent", follower), ("the writer", writer) })
        {
            var times = new List<double>();
            for (var i = 0; i < 1100; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await agent.GrantAsync($"{name}-{i}", $"203.0.113.{i % 250 + 1}", TimeProvider.System.GetUtcNow().AddHours(1));
                if (i >= 100)
                {
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); // the first 100 warm up
                }
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency through {name}: 1000 grants, median {times[times.Count / 2]:0.00} ms, p99 {times[(int)(times.Count * 0.99)]:0.00} ms, max {times[^1]:0.00} ms"));
        }

        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    private static async Task RowsAsync(NpgsqlDataSource database, string key)
    {
        await using var command = database.CreateCommand("""
            SELECT count(*), avg(pg_column_size(g.*)),
                   pg_total_relation_size('knocknoc_entra.grants')::float8 / greatest((SELECT count(*) FROM knocknoc_entra.grants), 1)
            FROM knocknoc_entra.grants g WHERE location_key = @k
            """);
        command.Parameters.AddWithValue("k", key);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"table: {reader.GetInt64(0)} rows for 1000 grants, {reader.GetDecimal(1):0} bytes per row (tuple), {reader.GetDouble(2):0} bytes per row with its indexes and page overhead"));
    }
}
