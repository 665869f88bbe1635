using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// A connection a loop keeps open for its frequent reads and records, one at a time: a pooled open and close per
/// statement costs little at the median but adds milliseconds at the tail (measured: p99 5 ms against 0.13 ms on a
/// held connection), and statements prepared on it stay prepared. Any failure drops the connection; the next call
/// opens a fresh one.
/// </summary>
internal sealed class HeldConnection(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "No wait handle is ever created.")]
    private readonly SemaphoreSlim _turn = new(1, 1);
    private NpgsqlConnection? _connection;

    /// <summary>Runs <paramref name="work"/> on the held connection, opening it first when there is none.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(_connection).ConfigureAwait(false);
        }
        catch
        {
            // A statement cut short (a failure, a cancellation) may leave the connection mid-conversation.
            await DropAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
