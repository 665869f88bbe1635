using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Support;

/// <summary>
/// A network between the SDK and the in-process emulator that takes no emulated time: the emulator handles each request
/// at the instant it entered the transport (right after the SDK's pacer marked it sent), however long the real thread
/// then takes to carry it through the emulator. Meanwhile another thread may move the shared clock (a test's
/// <see cref="AutoAdvancingTimeProvider.Skip"/>, another gate's timer): without this the emulator would stamp the
/// request that much later, and its 1 request/s rule would answer 429 to the next request although the SDK sent them a
/// full interval apart.
/// </summary>
internal sealed class InstantNetwork
{
    private readonly AutoAdvancingTimeProvider _clock;
    private readonly AsyncLocal<DateTimeOffset?> _arrival = new();

    // One request at a time, as they arrive: two gates' requests are stamped in the order the emulator takes them.
    private readonly SemaphoreSlim _line = new(1, 1);

    public InstantNetwork(AutoAdvancingTimeProvider clock)
    {
        _clock = clock;
        EmulatorClock = new ArrivalClock(this);
    }

    /// <summary>Gets the emulator's clock: inside a request, the instant it arrived; elsewhere the shared clock.</summary>
    public TimeProvider EmulatorClock { get; }

    /// <summary>The transport to give the SDK: <paramref name="emulator"/>'s handler, reached at once.</summary>
    /// <param name="emulator">The emulator's in-process handler.</param>
    /// <returns>The handler.</returns>
    public HttpMessageHandler Carry(HttpMessageHandler emulator) => new Wire(this, emulator);

    private sealed class Wire(InstantNetwork network, HttpMessageHandler emulator) : DelegatingHandler(emulator)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await network._line.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Set in this async method's own context, so it holds for this request only and never leaks to the caller.
                network._arrival.Value = network._clock.GetUtcNow();
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                network._line.Release();
            }
        }
    }

    private sealed class ArrivalClock(InstantNetwork network) : TimeProvider
    {
        public override long TimestampFrequency => network._clock.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => network._arrival.Value ?? network._clock.GetUtcNow();

        // AutoAdvancingTimeProvider's timestamps are its UTC ticks.
        public override long GetTimestamp() => network._arrival.Value is { } arrival ? arrival.UtcTicks : network._clock.GetTimestamp();

        // The emulator's waits (ResponseDelay) run on the shared clock.
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            network._clock.CreateTimer(callback, state, dueTime, period);
    }
}
