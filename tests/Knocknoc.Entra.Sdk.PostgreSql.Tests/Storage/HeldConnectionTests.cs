using Knocknoc.Entra.Sdk.PostgreSql.Storage;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests.Storage;

/// <summary>The writer's held connection: kept between calls, dropped after any failure, one call at a time.</summary>
public class HeldConnectionTests
{
    [Test]
    public async Task Calls_share_one_connection_until_one_fails_and_the_next_opens_a_fresh_one()
    {
        await using var held = new HeldConnection(TestDatabase.Shared());

        var first = await held.RunAsync(Task.FromResult, CancellationToken.None);
        var second = await held.RunAsync(Task.FromResult, CancellationToken.None);
        Assert.ThrowsAsync<PostgresException>(() => held.RunAsync<int>(async connection =>
        {
            await using var broken = new NpgsqlCommand("SELECT 1/0", connection);
            return (int)(await broken.ExecuteScalarAsync())!;
        }, CancellationToken.None));
        var third = await held.RunAsync(Task.FromResult, CancellationToken.None);

        Assert.That(second, Is.SameAs(first), "the connection was kept");
        Assert.That(third, Is.Not.SameAs(first), "the failure dropped it (to the pool, which may hand out its session again)");
        Assert.That(first.State, Is.EqualTo(System.Data.ConnectionState.Closed));
    }

    [Test]
    public async Task A_call_waits_for_the_one_before_it()
    {
        await using var held = new HeldConnection(TestDatabase.Shared());
        var release = new TaskCompletionSource();
        var inside = 0;
        var most = 0;

        async Task<int> Work(NpgsqlConnection connection)
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await release.Task;
            Interlocked.Decrement(ref inside);
            return await ServerProcessAsync(connection);
        }

        var calls = Enumerable.Range(0, 3).Select(_ => held.RunAsync(Work, CancellationToken.None)).ToList();
        await Task.Delay(100);
        release.SetResult();
        await Task.WhenAll(calls);

        Assert.That(most, Is.EqualTo(1));
    }

    private static async Task<int> ServerProcessAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
