using System.Text.RegularExpressions;
using Knocknoc.Entra.Cli.Runtime;
using Knocknoc.Entra.Cli.Tests.Support;
using Knocknoc.Entra.Sdk.PostgreSql.Tests;
using Npgsql;

namespace Knocknoc.Entra.Cli.Tests.Commands;

/// <summary>
/// <c>demo --postgres</c> against the test database: what it says happened is what the database holds afterwards
/// (the demo itself checks every step against the emulated Entra and the table, and fails on a check that does not hold).
/// </summary>
public partial class SharedDemoCommandTests
{
    [Test]
    public async Task The_shared_demo_kills_the_writer_the_other_agent_takes_over_and_the_table_shows_nothing_was_lost()
    {
        var connection = TestDatabase.ConnectionString();

        var (exitCode, output, errors) = await CliProcess.RunAsync(["demo", "--postgres", connection]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), output + errors);
        Assert.That(output, Does.Not.Contain("UNEXPECTED"));
        Assert.That(output + errors, Does.Not.Contain(new NpgsqlConnectionStringBuilder(connection).Password!), "the connection string's password is never shown");
        Assert.That(output, Does.Contain("agent-A is the writer (generation 1)"));
        Assert.That(output, Does.Contain("agent-A, the writer, is killed"));
        Assert.That(output, Does.Match(@"agent-B took the lease \(generation \d+\).*wrote carol 203\.0\.113\.30/32"));
        Assert.That(output, Does.Contain("demo done: the writer killed, agent-B took over, nothing lost").And.Contain("0 errors"));

        // What the output claims, in the database: alice (through the dead writer) and carol (after the kill) are live,
        // bob's revocation held, agent-B holds the lease with a newer generation and confirmed the latest version.
        var key = KeyLine().Match(output).Groups[1].Value;
        Assert.That(key, Does.StartWith("knocknoc-entra-demo/"));
        try
        {
            Assert.That(await GrantsAsync(key), Is.EqualTo(new[] { "alice 203.0.113.10/32 agent-A", "carol 203.0.113.30/32 agent-B" }));
            await using var command = TestDatabase.Shared().CreateCommand("SELECT writer, writer_generation, version, confirmed_version FROM knocknoc_entra.locations WHERE location_key = @k");
            command.Parameters.AddWithValue("k", key);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True, "the demo's location row is in the table");
            Assert.That(reader.IsDBNull(0), Is.True, "agent-B gave its lease up when the demo ended");
            Assert.That(reader.GetInt64(1), Is.GreaterThanOrEqualTo(2), "a takeover bumped the fencing generation");
            Assert.That(reader.GetInt64(3), Is.EqualTo(reader.GetInt64(2)), "every change was confirmed in Entra");
        }
        finally
        {
            await using var cleanup = TestDatabase.Shared().CreateCommand("DELETE FROM knocknoc_entra.locations WHERE location_key = @k");
            cleanup.Parameters.AddWithValue("k", key);
            await cleanup.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task The_shared_demo_with_no_database_there_names_the_option_and_never_the_password()
    {
        var (exitCode, output, errors) = await CliProcess.RunAsync(["demo", "--postgres", "Host=127.0.0.1;Port=1;Username=demo;Password=hunter2-not-it;Timeout=5"]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.State), output + errors);
        Assert.That(errors, Does.Contain("ENTRA063").And.Contain("the shared database (--postgres) cannot be reached"));
        Assert.That(output + errors, Does.Not.Contain("hunter2"));
    }

    private static async Task<List<string>> GrantsAsync(string key)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT grant_id, network, granted_by FROM knocknoc_entra.grants WHERE location_key = @k AND expires_at > now() ORDER BY grant_id");
        command.Parameters.AddWithValue("k", key);
        var grants = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            grants.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
        }

        return grants;
    }

    [GeneratedRegex(@"location_key = '([^']+)'")]
    private static partial Regex KeyLine();
}
