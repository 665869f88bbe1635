using System.Net.Sockets;
using Knocknoc.Entra.Cli.Configuration;
using Knocknoc.Entra.Cli.Output;
using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.PostgreSql;
using Npgsql;

namespace Knocknoc.Entra.Cli.Shared;

/// <summary>
/// One location's grants in the shared PostgreSQL database that <c>postgres_connection</c> names, instead of the local
/// state: this process is one more agent of the location, beside agent hosts and the tool on other machines. A change
/// is stored in the table and confirmed once the location's writer (this process when no live agent holds the lease,
/// else that agent) has it in Entra. Disposing gives the lease up, so the next agent takes over at once.
/// </summary>
/// <remarks>
/// The connection string may carry a password: no message here quotes it, nor an error of Npgsql's that could.
/// </remarks>
internal sealed class SharedLocation : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;

    private SharedLocation(NpgsqlDataSource database, PostgreSqlNamedLocationGate gate, string locationId)
    {
        _database = database;
        Gate = gate;
        LocationId = locationId;
    }

    /// <summary>Gets the agent of this process.</summary>
    public PostgreSqlNamedLocationGate Gate { get; }

    /// <summary>Gets the location's id, which is also its key in the table (as agent hosts key it by default).</summary>
    public string LocationId { get; }

    /// <summary>Opens the database, joins the location's agents and starts (the schema migrated on first use).</summary>
    /// <param name="settings">The settings, checked, with <see cref="CliSettings.PostgresConnection"/>.</param>
    /// <param name="locationId">The location's id.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The started agent; dispose it.</returns>
    /// <exception cref="ConfigurationException">The connection string is not one, or the database refused the login or does not exist.</exception>
    /// <exception cref="EntraException">ENTRA063: the database cannot be reached.</exception>
    public static async Task<SharedLocation> OpenAsync(CliSettings settings, string locationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var database = OpenDatabase(settings.PostgresConnection ?? throw new InvalidOperationException("No shared database is configured."), SettingKeys.PostgresConnection);
        PostgreSqlNamedLocationGate? gate = null;
        try
        {
            gate = PostgreSqlNamedLocationGate.Create(new PostgreSqlGateOptions
            {
                DataSource = database,
                AgentName = $"knocknoc-entra/{Environment.MachineName}/{Environment.ProcessId}",
                Gate = new NamedLocationGateOptions
                {
                    Name = "knocknoc-entra",
                    LocationId = locationId,
                    NameGuard = LocationNameGuard.Prefix(settings.NamePrefix),
                    Credential = settings.Credential(),
                    Cloud = settings.Cloud(),
                    TrustedRootCertificates = settings.TrustedRoots(),
                    AddressPolicy = settings.AddressPolicy,
                    Events = WaitingLine.StandardError,
                    LoggerFactory = SdkLog.With(null),
                },
            });
            var shared = new SharedLocation(database, gate, locationId);
            await shared.CallAsync(agent => agent.StartAsync(cancellationToken)).ConfigureAwait(false);
            return shared;
        }
        catch
        {
            if (gate is not null)
            {
                await gate.DisposeAsync().ConfigureAwait(false);
            }

            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a call of the agent, a failure of the database explained in the tool's words.</summary>
    /// <param name="call">The call.</param>
    /// <returns>A task that completes with the call.</returns>
    public async Task CallAsync(Func<PostgreSqlNamedLocationGate, Task> call) => await CallAsync(async gate => { await call(gate).ConfigureAwait(false); return true; }).ConfigureAwait(false);

    /// <summary>Runs a call of the agent, a failure of the database explained in the tool's words.</summary>
    /// <typeparam name="T">What the call returns.</typeparam>
    /// <param name="call">The call.</param>
    /// <returns>What the call returned.</returns>
    /// <exception cref="ConfigurationException">The database refused the login or does not exist.</exception>
    /// <exception cref="EntraException">The call failed; ENTRA063 when the database could not be reached.</exception>
    public async Task<T> CallAsync<T>(Func<PostgreSqlNamedLocationGate, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(Gate).ConfigureAwait(false);
        }
        catch (EntraException error) when (IsDatabaseFailure(error))
        {
            throw Explain(error, SettingKeys.PostgresConnection);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Gate.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The data source of a connection string, named <c>knocknoc-entra</c> for the server's views unless the string names it.</summary>
    /// <param name="connection">The connection string; never shown.</param>
    /// <param name="source">Where it came from (a setting, an option), for the message.</param>
    /// <returns>The data source; dispose it.</returns>
    /// <exception cref="ConfigurationException">The string is not a connection string.</exception>
    public static NpgsqlDataSource OpenDatabase(string connection, string source)
    {
        try
        {
            var builder = new NpgsqlDataSourceBuilder(connection);

            // So a DBA sees who holds the connections; a name the string gives wins.
            builder.ConnectionStringBuilder.ApplicationName ??= "knocknoc-entra";
            return builder.Build();
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidCastException or NotSupportedException)
        {
            // Npgsql's message may quote the string (and so a password): only its kind is shown.
            throw new ConfigurationException($"{source} is not a PostgreSQL connection string ({error.GetType().Name}): give key=value pairs such as Host=db.example;Database=knocknoc;Username=agent;Password=...");
        }
    }

    /// <summary>Whether an agent's call failed because of the database (ENTRA063 from a database error), not Graph.</summary>
    /// <param name="error">The failure.</param>
    /// <returns>True when the database failed.</returns>
    public static bool IsDatabaseFailure(EntraException error) =>
        error?.Code == EntraErrorCode.GrantStoreUnwritable && error.InnerException is NpgsqlException or SocketException or TimeoutException or IOException;

    /// <summary>A failure of the database in the tool's words: a refused login or a missing database is configuration, the rest ENTRA063.</summary>
    /// <param name="error">The failure (<see cref="IsDatabaseFailure"/>).</param>
    /// <param name="source">Where the connection string came from (a setting, an option), for the message.</param>
    /// <returns>The exception to throw.</returns>
    public static Exception Explain(EntraException error, string source) => error?.InnerException switch
    {
        // 28xxx: the login was refused (user, password, pg_hba.conf); 3D000: no such database. No wait fixes either.
        PostgresException { SqlState: var state } when state.StartsWith("28", StringComparison.Ordinal) =>
            new ConfigurationException($"the shared database ({source}) refused the login (SQLSTATE {state}): check the user and password it gives and the server's pg_hba.conf; nothing was changed", error),
        PostgresException { SqlState: "3D000" } =>
            new ConfigurationException($"the database {source} names does not exist (SQLSTATE 3D000); nothing was changed", error),
        PostgresException { SqlState: var state } =>
            new EntraException(EntraErrorCode.GrantStoreUnwritable, $"the shared database ({source}) failed (SQLSTATE {state}); nothing was changed", error),
        var cause => new EntraException(
            EntraErrorCode.GrantStoreUnwritable,
            $"the shared database ({source}) cannot be reached ({cause!.GetType().Name}); nothing was changed: try again when it is back",
            error),
    };
}
