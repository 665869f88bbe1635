using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql.Tests;

/// <summary>
/// The agent's LISTEN connection. Its waits must end by themselves: an agent whose wait lasts until a notification
/// stops renewing or taking the lease, and once the writer is dead no notification comes (the shared model hung so
/// after a writer kill, every agent waiting, nobody the writer).
/// </summary>
public class LocationListenerTests
{
    // A hang guard, not a timing: a wait that has not ended after this long never will.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [TestCase(0.0004)]
    [TestCase(0.9)]
    [TestCase(1.5)]
    [TestCase(200)]
    public async Task A_wait_with_no_notification_ends_when_its_time_is_up_even_under_a_millisecond(double milliseconds)
    {
        await using var listener = await LocationListener.OpenAsync(TestDatabase.Shared(), "listener-" + Guid.NewGuid().ToString("N"), TimeProvider.System, CancellationToken.None);

        var wait = listener.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), CancellationToken.None);

        Assert.That(await Task.WhenAny(wait, Task.Delay(Guard)), Is.SameAs(wait), "the wait ended without a notification");
    }

    [Test]
    public async Task A_notification_naming_the_location_ends_a_long_wait_and_one_naming_another_does_not()
    {
        var key = "listener-" + Guid.NewGuid().ToString("N");
        await using var listener = await LocationListener.OpenAsync(TestDatabase.Shared(), key, TimeProvider.System, CancellationToken.None);
        var wait = listener.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);

        await NotifyAsync(key + "-other");
        await Task.Delay(300);
        Assert.That(wait.IsCompleted, Is.False, "another location's notification does not end the wait");

        await NotifyAsync(key);
        Assert.That(await Task.WhenAny(wait, Task.Delay(Guard)), Is.SameAs(wait), "the location's notification ended the wait");
    }

    private static async Task NotifyAsync(string payload)
    {
        await using var command = TestDatabase.Shared().CreateCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", SharedGrantTable.Channel);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync();
    }
}
