using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Emulator;

/// <summary>The fake clock the Testing package ships: what it reads, what it fires by itself, what waits for Skip.</summary>
public class AutoAdvancingTimeProviderTests
{
    [Test]
    public void It_reads_UTC_whatever_the_offset_it_was_started_with()
    {
        var clock = new AutoAdvancingTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1)));

        Assert.That(clock.GetUtcNow(), Is.EqualTo(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)));
        Assert.That(clock.GetUtcNow().Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task A_short_timer_fires_at_once_and_moves_the_clock_a_long_one_waits_for_Skip()
    {
        var clock = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var start = clock.GetUtcNow();

        await Task.Delay(TimeSpan.FromSeconds(5), clock);
        Assert.That(clock.GetUtcNow() - start, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(clock.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(5) }));

        var expiry = Task.Delay(TimeSpan.FromHours(1), clock);
        clock.Skip(TimeSpan.FromMinutes(59));
        Assert.That(expiry.IsCompleted, Is.False, "not due yet");

        clock.Skip(TimeSpan.FromMinutes(1));
        await expiry.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(clock.GetUtcNow() - start, Is.EqualTo(TimeSpan.FromSeconds(5) + TimeSpan.FromHours(1)));
    }
}
