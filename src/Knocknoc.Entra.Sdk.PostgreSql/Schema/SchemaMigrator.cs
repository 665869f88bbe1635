using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Schema;

/// <summary>
/// Creates and migrates the package's schema on first use: each embedded script (<c>NNN-name.sql</c>) newer than the
/// recorded version runs in one transaction under a transaction-level advisory lock, so gates that start at once
/// apply it exactly once and the others wait, then find it done.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Scripts.Value[^1].Version;

    // Any constant both sides agree on: only this migrator takes it.
    private const long MigrationLockKey = 0x4B6E_6F63_6B6E_6F63;

    private static readonly Lazy<List<(int Version, string Sql)>> Scripts = new(LoadScripts);

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database's knocknoc_entra schema is version {current}, newer than this package knows ({LatestVersion}): upgrade the package.");
        }

        foreach (var (version, sql) in Scripts.Value)
        {
            if (version <= current)
            {
                continue;
            }

            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('knocknoc_entra.schema_version') IS NULL THEN 0 ELSE 1 END", connection, transaction);
        if ((int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            return 0;
        }

        await using var version = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM knocknoc_entra.schema_version", connection, transaction);
        return (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static List<(int Version, string Sql)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = new List<(int Version, string Sql)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((int.Parse(name.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture), reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }
}
