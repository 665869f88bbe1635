using Knocknoc.Entra.Sdk.Graph;
using Knocknoc.Entra.Sdk.Testing;
using Knocknoc.Entra.Sdk.Tests.Support;

namespace Knocknoc.Entra.Sdk.Tests.Gate;

/// <summary>
/// The gate tests' network to the emulator (<see cref="InstantNetwork"/>): the clock moving while a busy machine carries
/// a request never makes the emulator fault the SDK's pacing.
/// </summary>
public class InstantNetworkTests
{
    [Test]
    public async Task A_request_reaches_the_emulator_when_it_was_sent_though_the_clock_moves_while_it_is_carried()
    {
        // The first read is stamped half a second after it was sent. Before pacing counted from the answer, the second
        // read, sent a full second after the first, then arrived half a second after it and was refused (GateModelTests
        // met this when a test's Skip fell between a retry's send and its arrival). Now the next request waits for the
        // answer, and the instant network only keeps the emulator's stamps equal to the SDK's sends.
        Assert.That(await GraphStatusesAsync(instant: false), Is.EqualTo(new[] { 200, 200 }), "pacing counts from the answer");
        Assert.That(await GraphStatusesAsync(instant: true), Is.EqualTo(new[] { 200, 200 }));
    }

    private static async Task<int[]> GraphStatusesAsync(bool instant)
    {
        var clock = new AutoAdvancingTimeProvider { AutoFireBelow = TimeSpan.FromSeconds(30) };
        var network = new InstantNetwork(clock);
        var emulator = new EntraEmulator(new EntraEmulatorOptions { TimeProvider = instant ? network.EmulatorClock : clock });
        var tenant = emulator.AddTenant();
        var application = tenant.AddApplication();
        var location = tenant.AddIpNamedLocation("knocknoc_x", ["192.0.2.0/32"]);
        var slow = new ClockMovingHandler(clock, emulator.CreateHandler());
        using var client = NamedLocationClient.Create(new NamedLocationClientOptions
        {
            Credential = EntraCredential.ClientSecret(tenant.TenantId, application.ClientId, application.ClientSecret),
            Cloud = EntraEmulator.Cloud,
            Transport = instant ? network.Carry(slow) : slow,
            TimeProvider = clock,
        });

        await client.GetIpAsync(location.Id);
        await client.GetIpAsync(location.Id);

        return [.. emulator.Journal.Where(e => e.IsGraph).Select(e => e.Status)];
    }

    /// <summary>Moves the clock half a second while it carries the first Graph request, as a test's Skip on another thread would.</summary>
    private sealed class ClockMovingHandler(AutoAdvancingTimeProvider clock, HttpMessageHandler emulator) : DelegatingHandler(emulator)
    {
        private int _moved;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Host == EntraEmulator.GraphRoot.Host && Interlocked.Exchange(ref _moved, 1) == 0)
            {
                clock.Skip(TimeSpan.FromMilliseconds(500));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
