using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// One change to a location under the location's row lock, so changes from every agent get consecutive versions:
/// <see cref="RunAsync"/> for a change that is one statement (a grant, a revocation: one batch, one round trip), or an
/// instance, a transaction of several statements (a flush, a reconcile), which disposing without a commit rolls back.
/// </summary>
internal sealed class LocationChange : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _locationKey;

    private LocationChange(NpgsqlConnection connection, NpgsqlTransaction transaction, string locationKey, long version)
    {
        _connection = connection;
        _transaction = transaction;
        _locationKey = locationKey;
        Version = version;
    }

    /// <summary>Gets the location's version before this change.</summary>
    public long Version { get; }

    public static async Task<LocationChange> BeginAsync(NpgsqlDataSource dataSource, string locationKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using var lockRow = new NpgsqlCommand(
                    "SELECT version FROM knocknoc_entra.locations WHERE location_key = @k FOR UPDATE", connection, transaction);
                lockRow.Parameters.AddWithValue("k", locationKey);
                var version = await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?
                    ?? throw new InvalidOperationException($"The location '{locationKey}' has no row: the gate was not started.");
                return new LocationChange(connection, transaction, locationKey, version);
            }
            catch (Exception error) when (attempt == 0 && DatabaseFailures.IsBrokenConnection(error))
            {
                // A pooled connection the server ended (a restart, a failover): nothing was changed yet, so the
                // change begins once more on a fresh connection; the pool's other idle ones are broken too.
                NpgsqlConnection.ClearPool(connection);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Runs one change as a single statement <paramref name="sql"/> right after the lock on the location's row, both
    /// in one batch: one round trip and one implicit transaction, so the lock that orders every agent's changes is
    /// held for the server's execution alone, never across a client's round trip. The statement starts after the lock
    /// is taken, so (read committed) it sees every change committed before it; it bumps the version and notifies
    /// itself. A connection found broken is retried once, on a fresh one, with <paramref name="bind"/> told so: the
    /// change may have landed before the break, so a retried change must be idempotent.
    /// </summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="locationKey">The location, bound to <c>@k</c>.</param>
    /// <param name="sql">The change; its result is handed to <paramref name="read"/>.</param>
    /// <param name="bind">Binds the statement's other parameters; its second argument is true on the retry.</param>
    /// <param name="read">Reads the statement's result.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    public static async Task<T> RunAsync<T>(
        NpgsqlDataSource dataSource, string locationKey, string sql, Action<NpgsqlParameterCollection, bool> bind,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var batch = new NpgsqlBatch(connection);
                var lockRow = new NpgsqlBatchCommand("SELECT version FROM knocknoc_entra.locations WHERE location_key = @k FOR UPDATE");
                lockRow.Parameters.AddWithValue("k", locationKey);
                var change = new NpgsqlBatchCommand(sql);
                change.Parameters.AddWithValue("k", locationKey);
                bind(change.Parameters, attempt > 0);
                batch.BatchCommands.Add(lockRow);
                batch.BatchCommands.Add(change);
                await batch.PrepareAsync(cancellationToken).ConfigureAwait(false); // once per pooled connection
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The location '{locationKey}' has no row: the gate was not started.");
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                return await read(reader, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (attempt == 0 && DatabaseFailures.IsBrokenConnection(error))
            {
                // Most often a pooled connection the server ended (a restart, a failover); its idle siblings are too.
                NpgsqlConnection.ClearPool(connection);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A command in this change's transaction, with <c>@k</c> bound to the location's key.</summary>
    public NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.AddWithValue("k", _locationKey);
        return command;
    }

    /// <summary>Records <paramref name="version"/> as the location's, notifies the channel, and commits.</summary>
    public async Task CommitVersionAsync(long version, CancellationToken cancellationToken)
    {
        await using (var bump = Command(
            "UPDATE knocknoc_entra.locations SET version = @v WHERE location_key = @k; SELECT pg_notify('" + SharedGrantTable.Channel + "', @k)"))
        {
            bump.Parameters.AddWithValue("v", version);
            await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
