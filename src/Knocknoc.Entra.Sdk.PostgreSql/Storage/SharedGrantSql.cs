namespace Knocknoc.Entra.Sdk.PostgreSql.Storage;

/// <summary>
/// The agents' changes, each one statement run right after the lock on the location's row
/// (<see cref="LocationChange.RunAsync"/>): one round trip decides, writes, bumps the version and notifies, so the
/// lock that orders every agent's changes is held for microseconds of the server's time, not for a conversation.
/// </summary>
internal static class SharedGrantSql
{
    /// <summary>The grant's outcome: the id already held this network and expiry (nothing changed).</summary>
    public const int Same = 0;

    /// <summary>The grant's outcome: the row was written at a new version.</summary>
    public const int Written = 1;

    /// <summary>The grant's outcome: refused, another network would exceed the cap.</summary>
    public const int Full = 2;

    /// <summary>
    /// Grants or moves <c>@id</c>. A network some live row holds already adds nothing; another is counted against the
    /// cap: the distinct live networks with this id's own row left out (hashed, not sorted), never fewer than the
    /// cover the writer sends, so it refuses no grant the location could not take, and may refuse one its cover
    /// would have merged. Returns one row: the outcome, the version to wait for, when the id was first
    /// granted, and (refused) the networks counted.
    /// </summary>
    public const string Grant = """
        WITH existing AS (
            SELECT network, expires_at, granted_at, version FROM knocknoc_entra.grants
            WHERE location_key = @k AND grant_id = @id AND expires_at > @now),
        capacity AS (
            SELECT count(*) AS networks FROM (
                SELECT network FROM knocknoc_entra.grants
                WHERE location_key = @k AND expires_at > @now AND grant_id <> @id GROUP BY network) live),
        decision AS (
            SELECT CASE
                WHEN EXISTS (SELECT FROM existing WHERE network = @network AND expires_at = @expires) THEN 0
                WHEN EXISTS (SELECT FROM knocknoc_entra.grants WHERE location_key = @k AND network = @network AND expires_at > @now) THEN 1
                WHEN (SELECT networks < @max FROM capacity) THEN 1
                ELSE 2 END AS outcome),
        written AS (
            INSERT INTO knocknoc_entra.grants AS g (location_key, grant_id, network, expires_at, granted_by, granted_at, version)
            SELECT @k, @id, @network, @expires, @agent, coalesce((SELECT granted_at FROM existing), @now), l.version + 1
            FROM knocknoc_entra.locations l WHERE l.location_key = @k AND (SELECT outcome FROM decision) = 1
            ON CONFLICT (location_key, grant_id) DO UPDATE
            SET network = excluded.network, expires_at = excluded.expires_at, granted_by = excluded.granted_by,
                granted_at = excluded.granted_at, version = excluded.version
            RETURNING g.version, g.granted_at),
        bumped AS (
            UPDATE knocknoc_entra.locations l SET version = written.version FROM written WHERE l.location_key = @k RETURNING 1)
        SELECT d.outcome,
               coalesce((SELECT version FROM written), (SELECT version FROM existing), 0),
               coalesce((SELECT granted_at FROM written), (SELECT granted_at FROM existing), @now),
               CASE WHEN d.outcome = 2 THEN (SELECT networks FROM capacity) ELSE 0 END,
               CASE WHEN EXISTS (SELECT FROM bumped) THEN pg_notify('knocknoc_entra', @k) END
        FROM decision d
        """;

    /// <summary>
    /// Ends the live grant <c>@id</c>: its row stays with no expiry left (<c>-infinity</c>) at a new version, the
    /// sign the writer reads among the rows changed since its last read; the writer clears it once Entra holds that
    /// version. Returns no row when nothing was live, else the network, the version to wait for and the other ids
    /// still holding that network. Retried (<c>@again</c>) after a broken connection, it also answers for a row
    /// already ended and not yet cleared: the first attempt may have ended it before the break, and the grant has
    /// ended either way.
    /// </summary>
    public const string Revoke = """
        WITH ended AS (
            UPDATE knocknoc_entra.grants g SET expires_at = '-infinity', version = l.version + 1
            FROM knocknoc_entra.locations l
            WHERE l.location_key = @k AND g.location_key = @k AND g.grant_id = @id AND g.expires_at > @now
            RETURNING g.network, g.version),
        bumped AS (
            UPDATE knocknoc_entra.locations l SET version = ended.version FROM ended WHERE l.location_key = @k RETURNING 1),
        found AS (
            SELECT network, version FROM ended
            UNION ALL
            SELECT network, version FROM knocknoc_entra.grants
            WHERE @again AND location_key = @k AND grant_id = @id AND expires_at = '-infinity')
        SELECT f.network, f.version,
               ARRAY(SELECT grant_id FROM knocknoc_entra.grants
                     WHERE location_key = @k AND network = f.network AND expires_at > @now AND grant_id <> @id ORDER BY grant_id),
               CASE WHEN EXISTS (SELECT FROM bumped) THEN pg_notify('knocknoc_entra', @k) END
        FROM found f
        """;
}
