using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL the tests run against, from KNOCKNOC_TEST_POSTGRES. Without it a test is reported as skipped
/// (never passed) on a developer's machine, and fails under CI=true, where the database is part of the run.
/// </summary>
internal static class TestDatabase
{
    public const string Variable = "KNOCKNOC_TEST_POSTGRES";

    private static NpgsqlDataSource? _shared;

    public static string ConnectionString()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connection)
        {
            return connection;
        }

        var message = $"{Variable} is not set: run these tests through tests/postgres/with-postgres.sh (for example tests/postgres/with-postgres.sh dotnet test), which starts a throwaway PostgreSQL and sets it.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        throw new InvalidOperationException(message);
    }

    /// <summary>One data source for the whole run (its pool is shared by every test's agents).</summary>
    public static NpgsqlDataSource Shared()
    {
        var connection = ConnectionString();
        return LazyInitializer.EnsureInitialized(ref _shared, () => NpgsqlDataSource.Create(connection));
    }

    /// <summary>A data source of its own, named, so a test can cut exactly its connections.</summary>
    public static NpgsqlDataSource Create(string applicationName) =>
        new NpgsqlDataSourceBuilder(ConnectionString()) { ConnectionStringBuilder = { ApplicationName = applicationName, Pooling = true } }.Build();

    /// <summary>Ends every connection of <paramref name="applicationName"/>, as a database restart does for its clients.</summary>
    public static async Task TerminateAsync(string applicationName)
    {
        await using var command = Shared().CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name");
        command.Parameters.AddWithValue("name", applicationName);
        await command.ExecuteScalarAsync();
    }
}
