using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// An agent's LISTEN connection on <see cref="SharedGrantTable.Channel"/>: a wait ends when a notification names the
/// location (a change stored, a write recorded, a lease given up) or when its time is up, whichever is first.
/// </summary>
internal sealed class LocationListener : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly TimeProvider _clock;
    private volatile bool _notified;

    private LocationListener(NpgsqlConnection connection, string locationKey, TimeProvider clock)
    {
        _connection = connection;
        _clock = clock;
        _connection.Notification += (_, e) =>
        {
            if (e.Payload == locationKey)
            {
                _notified = true;
            }
        };
    }

    /// <summary>Gets the listening connection, for the agent loop's own reads between waits (never two at once).</summary>
    public NpgsqlConnection Connection => _connection;

    public static async Task<LocationListener> OpenAsync(NpgsqlDataSource dataSource, string locationKey, TimeProvider clock, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listener = new LocationListener(connection, locationKey, clock);
            await using var listen = new NpgsqlCommand("LISTEN " + SharedGrantTable.Channel, connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return listener;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until a notification names the location, or <paramref name="wait"/> passed (by the clock given at the open).</summary>
    /// <returns>True when a notification named the location.</returns>
    /// <exception cref="NpgsqlException">The connection broke (the caller opens a new listener).</exception>
    public async Task<bool> WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetTimestamp() + (long)(wait.TotalSeconds * _clock.TimestampFrequency);
        while (!_notified)
        {
            // Npgsql counts whole milliseconds and takes 0 as "no timeout": a wait of under a millisecond, passed
            // as it is, would last until the next notification, and with the writer dead none may ever come.
            var milliseconds = Math.Ceiling((deadline - _clock.GetTimestamp()) * 1000.0 / _clock.TimestampFrequency);
            if (milliseconds < 1 || !await _connection.WaitAsync((int)Math.Min(milliseconds, int.MaxValue), cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        var notified = _notified;
        _notified = false;
        return notified;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
