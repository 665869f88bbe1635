namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>Stopping: the writer finishes its write in flight and gives its lease up, so another agent takes over at once.</summary>
public sealed partial class PostgreSqlNamedLocationGate
{
    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_agent is { } agent)
        {
            await agent.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await StepDownAsync("the gate stopped", release: true).ConfigureAwait(false);
        _waiters.FailAll(new ObjectDisposedException(nameof(PostgreSqlNamedLocationGate)));
        _stopping.Dispose();
    }

    /// <summary>
    /// Stops the agent as a crash would (for tests and tools): no lease is given up, nothing more is recorded, and the
    /// writer's gate is dropped without its store being saved; another agent takes over once the lease runs out.
    /// </summary>
    internal async Task AbandonAsync()
    {
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_agent is { } agent)
        {
            await agent.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await StepDownAsync("abandoned", release: false).ConfigureAwait(false);
        _waiters.FailAll(new ObjectDisposedException(nameof(PostgreSqlNamedLocationGate)));
    }
}
