using Knocknoc.Entra.Sdk.PostgreSql.Storage;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>The state of one takeover, apart from the writer's loop that acts on it.</summary>
public sealed partial class PostgreSqlNamedLocationGate
{
    /// <summary>One takeover: its generation, its gate, its loop and what the loop last confirmed.</summary>
    private sealed class WriterRole(long generation, NamedLocationGate gate, HeldConnection connection)
    {
        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _synced;
        private long _issued = -1;
        private bool _fenced;
        private long _lastRecord;

        public long Generation => generation;

        public NamedLocationGate Gate => gate;

        public CancellationTokenSource Stop { get; } = new();

        /// <summary>Gets the connection the role keeps for its reads of the table and its records.</summary>
        public HeldConnection Connection => connection;

        /// <summary>Gets the role's copy of the table; only the writer's loop touches it.</summary>
        public TableMirror Mirror { get; } = new();

        public Task Loop { get; set; } = Task.CompletedTask;

        public Task LateWriteCheck { get; set; } = Task.CompletedTask;

        /// <summary>Gets the newest version Entra was confirmed to hold by this role.</summary>
        public long Synced => Volatile.Read(ref _synced);

        /// <summary>Gets or sets the newest version handed to the gate (-1: none, or hand the table over again).</summary>
        public long Issued
        {
            get => Volatile.Read(ref _issued);
            set => Volatile.Write(ref _issued, value);
        }

        /// <summary>Gets or sets a value indicating whether a fenced record was refused: the lease passed on.</summary>
        public bool Fenced
        {
            get => Volatile.Read(ref _fenced);
            set => Volatile.Write(ref _fenced, value);
        }

        public void Confirmed(long version)
        {
            long seen;
            while ((seen = Volatile.Read(ref _synced)) < version && Interlocked.CompareExchange(ref _synced, version, seen) != seen)
            {
            }
        }

        /// <summary>True (and the clock restarts) when <paramref name="interval"/> passed since the last true answer.</summary>
        public bool RecordDue(TimeSpan interval, TimeProvider clock)
        {
            var now = clock.GetTimestamp();
            if (_lastRecord != 0 && clock.GetElapsedTime(_lastRecord, now) < interval)
            {
                return false;
            }

            _lastRecord = now;
            return true;
        }

        public void Wake() => Volatile.Read(ref _wake).TrySetResult();

        /// <summary>Waits for <see cref="Wake"/> (also one that came since the last wait) or <paramref name="timeout"/>.</summary>
        public async Task WaitForWakeAsync(TimeSpan timeout, TimeProvider clock)
        {
            var signal = Volatile.Read(ref _wake);
            try
            {
                await signal.Task.WaitAsync(timeout, clock, Stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The poll: read the table anyway.
            }

            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
            }
        }
    }
}
