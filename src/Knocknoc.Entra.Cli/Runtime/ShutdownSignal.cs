using System.Runtime.InteropServices;

namespace Knocknoc.Entra.Cli.Runtime;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM and SIGQUIT into a cancellation every command receives, so a command stops
/// cleanly (a server closes its sockets, a wait for Graph ends). The first signal only cancels; a second one is
/// left to the runtime's default and ends the process at once, for a command that does not stop.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Registers the handlers.</summary>
    public ShutdownSignal()
    {
        // SIGINT covers Ctrl+C on Windows too; SIGTERM and SIGQUIT are what service managers and `kill` send.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <summary>Gets the token cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets the signal received, or null while none was.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>Removes the handlers.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Received is not null)
        {
            // The second signal: the command did not stop; let the runtime end the process.
            return;
        }

        Received = context.Signal;
        context.Cancel = true;
        _cancellation.Cancel();
    }
}
