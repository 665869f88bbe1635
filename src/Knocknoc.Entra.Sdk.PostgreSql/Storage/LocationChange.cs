using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// One change to a location: a transaction holding the location's row lock, so changes from every agent get
/// consecutive versions. Disposing it without a commit rolls back.
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
