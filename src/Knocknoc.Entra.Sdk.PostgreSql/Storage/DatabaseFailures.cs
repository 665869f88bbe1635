using System.Net.Sockets;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// A failure of the shared database as the gate reports it: ENTRA063 (the change could not be made durable), transient.
/// The message never carries the connection string; Npgsql's own messages name at most the host and port.
/// </summary>
internal static class DatabaseFailures
{
    public static bool IsDatabaseFailure(Exception error) =>
        error is NpgsqlException or SocketException or TimeoutException or IOException
        || (error is InvalidOperationException && error.Source == "Npgsql");

    /// <summary>The server ended the connection (57P01-57P03: shutdown, crash, not yet accepting) or the socket broke.</summary>
    public static bool IsBrokenConnection(Exception error) =>
        error is PostgresException { SqlState: "57P01" or "57P02" or "57P03" }
        || (error is NpgsqlException && error.InnerException is IOException or SocketException);

    public static EntraException Unavailable(string location, Exception error) =>
        new(new EntraFailure(EntraErrorCode.GrantStoreUnwritable)
        {
            Detail = $"The shared grant database did not take the change for location '{location}' ({error.GetType().Name}); nothing new was granted.",
            IsTransient = true,
        }, error);
}
