using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>
/// The seeded multi-agent model: three agents on one database and one emulated Entra; steps of grants, revocations,
/// flushes and expiries spread over the agents, with writer kills, cut database connections (a restart as the
/// clients see it) and Graph faults in between. After every settled step Entra equals the table's live grants (the
/// sentinel when there are none): nothing wider than granted, nothing granted missing, whichever agent wrote it.
/// </summary>
public class SharedModelTests
{
    private const int Steps = 600;

    // A call that has not returned after this long (real time) never will: the model fails with its step rather than
    // stalling the whole test run until the session timeout.
    private static readonly TimeSpan CallLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Awaits a call, living through the waits a real host lives through: the writer's gate backs off after Graph
    /// faults (5 s, doubling), longer than the clock fires by itself.
    /// </summary>
    private static Task LiveThroughAsync(SharedBed bed, Task call) => TimePasses.WhileAsync(bed.Time, call, CallLimit);

    // What the agents said last, for a failure's message: the model's failures are about who did what when.
    private static string LastLogs(SharedBed bed) =>
        string.Join('\n', new[] { $"thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} pending, {ThreadPool.CompletedWorkItemCount} completed" }.Concat(bed.Agents.Select(a => $"{a.AgentName}: writer {a.IsWriter}, hold {a.HeldGeneration}, loop {a.AgentLoop?.Status} {a.AgentLoop?.Exception?.InnerException}")
            .Concat(bed.Logs.Entries.Where(e => e.Level > Microsoft.Extensions.Logging.LogLevel.Debug).TakeLast(60).Select(e => $"{e.Level} {e.EventId.Id} {e.Text.Split("  ")[0]}"))));

    // What the agents' database sessions are doing: a call that never returns waits on one of them.
    private static async Task<string> SessionsAsync(SharedBed bed)
    {
        await using var command = TestDatabase.Shared().CreateCommand("""
            SELECT 'location: writer ' || coalesce(writer, '-') || ' generation ' || writer_generation || ' lease left ' ||
                   coalesce((lease_expires_at - clock_timestamp())::text, '-') || ' version ' || version || ' confirmed ' || confirmed_version
            FROM knocknoc_entra.locations WHERE location_key = @key
            UNION ALL
            SELECT application_name || ' ' || state || ' since ' || (clock_timestamp() - state_change)::text || ' ' || coalesce(wait_event_type || '/' || wait_event, '-') || ' xact ' ||
                   coalesce((clock_timestamp() - xact_start)::text, '-') || ' ' || left(query, 100)
            FROM pg_stat_activity WHERE application_name LIKE @prefix
            """);
        command.Parameters.AddWithValue("prefix", bed.Key[..13] + "%");
        command.Parameters.AddWithValue("key", bed.Key);
        var sessions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add(reader.IsDBNull(0) ? "?" : reader.GetString(0));
        }

        return string.Join('\n', sessions);
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task After_every_settled_step_Entra_equals_the_tables_live_grants(int seed)
    {
        var random = new Random(seed);
        await using var bed = new SharedBed(seed);
        var agents = new List<PostgreSqlNamedLocationGate> { await bed.StartAgentAsync(), await bed.StartAgentAsync(), await bed.StartAgentAsync() };
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var step = 0; step < Steps; step++)
        {
            var agent = agents[random.Next(agents.Count)];
            var id = $"user{random.Next(30)}";
            var roll = random.Next(100);
            var what = roll switch
            {
                < 45 => "grant",
                < 70 => "revoke",
                < 80 => "time",
                < 83 => "flush",
                < 84 => "kill",
                < 85 => "restart",
                < 90 => "fault",
                _ => "regrant",
            };
            outcomes[what] = outcomes.GetValueOrDefault(what) + 1;
            try
            {
                switch (what)
                {
                    case "grant":
                    case "regrant":
                        await LiveThroughAsync(bed, agent.GrantAsync(id, $"203.0.113.{random.Next(1, 25)}", bed.Time.GetUtcNow().AddMinutes(random.Next(1, 90))));
                        break;
                    case "revoke":
                        await LiveThroughAsync(bed, agent.RevokeAsync(id));
                        break;
                    case "flush":
                        await LiveThroughAsync(bed, agent.FlushAsync());
                        break;
                    case "time":
                        bed.Time.Skip(TimeSpan.FromMinutes(random.Next(1, 20)));
                        break;
                    case "kill":
                        var writer = agents.FirstOrDefault(a => a.IsWriter) ?? agent;
                        await bed.KillAsync(writer);
                        agents.Remove(writer);
                        agents.Add(await bed.StartAgentAsync());
                        break;
                    case "restart":
                        foreach (var each in agents)
                        {
                            await TestDatabase.TerminateAsync(each.AgentName);
                        }

                        break;
                    case "fault":
                        bed.Emulator.FailNext(random.Next(2) == 0 ? EmulatedFault.ResponseLost : EmulatedFault.ServiceUnavailable, random.Next(1, 5));
                        break;
                }
            }
            catch (TimeoutException)
            {
                Assert.Fail($"step {step} ({what}) through agent {agent.AgentName}: the call did not return within {CallLimit}\n{await SessionsAsync(bed)}\n{LastLogs(bed)}");
            }
            catch (EntraException error) when (error.Code is not (EntraErrorCode.GrantRefused or EntraErrorCode.CapacityExceeded))
            {
                // A write that failed (a Graph fault) or a database that was cut: the call says so; the table stays
                // the truth and the writer writes it again. Refusals would be the model's bug: its input is valid.
                outcomes["failed " + error.CodeText] = outcomes.GetValueOrDefault("failed " + error.CodeText) + 1;
            }

            // Settled: what the background does after the step (a write's backoff after a Graph fault, an expiry) has
            // happened, emulated time passing as it would for a real host.
            var settled = await TimePasses.UntilAsync(bed.Time, async () => bed.EntraSet == await bed.ExpectedEntraAsync(), TimeSpan.FromSeconds(60));
            Assert.That(settled, Is.True, () =>
                $"step {step} ({what}): Entra {string.Join(", ", bed.EntraSet.ToCidrs())}, table {string.Join(", ", bed.ExpectedEntraAsync().GetAwaiter().GetResult().ToCidrs())}\n{LastLogs(bed)}");
        }

        TestContext.Out.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        var loopFailures = bed.Logs.Entries.Where(e => e.EventId.Id is 1305 or 1306).Select(e => e.Text).ToList();
        Assert.That(loopFailures, Is.Empty, "no agent's or writer's loop met an exception it did not expect");
        Assert.That(outcomes.GetValueOrDefault("kill"), Is.GreaterThan(0), "the seed killed a writer at least once");
    }
}
