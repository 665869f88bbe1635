using System.Globalization;
using System.Net.Sockets;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Shared;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.PostgreSql.Schema;
using Npgsql;

namespace Knocknoc.Entra.Cli.Commands;

/// <summary>
/// <c>doctor</c> with <c>postgres_connection</c> set: the shared database, read only (no schema is created or migrated,
/// no lease taken): reached and logged in, its schema against this tool's, and the location's row (the writer and its
/// lease, changes not yet confirmed in Entra, a failed write). Never shows the connection string.
/// </summary>
internal static class DoctorSharedDatabase
{
    private const string Name = "shared database";

    /// <summary>Adds the check of the database <paramref name="settings"/> names for the location <paramref name="locationId"/>.</summary>
    public static async Task AddCheckAsync(CliSettings settings, string locationId, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        NpgsqlDataSource database;
        try
        {
            database = SharedLocation.OpenDatabase(settings.PostgresConnection!, SettingKeys.PostgresConnection);
        }
        catch (ConfigurationException error)
        {
            checks.Add(DoctorCheck.Failed(Name, error.Message));
            return;
        }

        await using (database.ConfigureAwait(false))
        {
            try
            {
                checks.Add(await CheckAsync(database, locationId, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException or IOException)
            {
                var explained = SharedLocation.Explain(
                    new EntraException(EntraErrorCode.GrantStoreUnwritable, "the shared database failed", error), SettingKeys.PostgresConnection);
                checks.Add(explained is EntraException coded ? DoctorCheck.Failed(Name, coded.Message, coded) : DoctorCheck.Failed(Name, explained.Message));
            }
        }
    }

    private static async Task<DoctorCheck> CheckAsync(NpgsqlDataSource database, string locationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        int? schema;
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('knocknoc_entra.schema_version') IS NOT NULL", connection))
        {
            schema = (bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! ? await SchemaVersionAsync(connection, cancellationToken).ConfigureAwait(false) : null;
        }

        var ours = SchemaMigrator.LatestVersion;
        if (schema is null)
        {
            return DoctorCheck.Warned(Name, $"reached; no knocknoc_entra schema yet: the first grant creates it (the role needs CREATE on the database), or a DBA runs 001-shared-grants.sql");
        }

        if (schema > ours)
        {
            return DoctorCheck.Failed(Name, $"reached; its schema is version {schema}, newer than this tool's {ours}: upgrade the tool");
        }

        await using var read = new NpgsqlCommand("""
            SELECT writer, writer_generation, coalesce(lease_expires_at > now(), false), version, confirmed_version, failed_version, failed_code,
                   (SELECT count(*) FROM knocknoc_entra.grants g WHERE g.location_key = l.location_key AND g.expires_at > now())
            FROM knocknoc_entra.locations l WHERE location_key = @k
            """, connection);
        read.Parameters.AddWithValue("k", locationId);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var migrate = schema < ours ? $"; schema version {schema}, migrated to {ours} at the next start of an agent" : $"; schema version {schema}";
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return DoctorCheck.Passed(Name, $"reached{migrate}; no agent has used this location yet");
        }

        var (writer, generation, live) = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2));
        var (version, confirmed, failed) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        var grants = reader.GetInt64(7);
        var lease = writer is not null && live
            ? $"writer {ShownName(writer)} (generation {generation}), its lease live"
            : "no live writer (the next change's agent takes the lease)";
        var detail = string.Create(CultureInfo.InvariantCulture, $"reached{migrate}; {grants} live grant(s); {lease}");
        if (failed > confirmed)
        {
            var code = reader.IsDBNull(6) ? "an error" : EntraErrorCatalog.Format((EntraErrorCode)reader.GetInt32(6));
            return DoctorCheck.Warned(Name, string.Create(CultureInfo.InvariantCulture, $"{detail}; the writer's last write failed with {code} (version {failed}); the change stays and is written again"));
        }

        return version > confirmed
            ? DoctorCheck.Warned(Name, string.Create(CultureInfo.InvariantCulture, $"{detail}; {version - confirmed} change(s) not yet confirmed in Entra: an agent must be the writer for them to reach it"))
            : DoctorCheck.Passed(Name, detail + "; every change is confirmed in Entra");
    }

    private static async Task<int> SchemaVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM knocknoc_entra.schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // An agent's name is the host's text: shown escaped, as every name from outside is.
    private static string ShownName(string name) => Output.TerminalText.Safe(name);
}
