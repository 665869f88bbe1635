using Knocknoc.Entra.Sdk.Graph;
using Npgsql;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// Options of a <see cref="PostgreSqlNamedLocationGate"/>: the database, the location's gate options, and the
/// writer lease's timings. The defaults bound a takeover after a writer dies at <see cref="LeaseDuration"/> plus
/// <see cref="RenewInterval"/> (6 s).
/// </summary>
public sealed class PostgreSqlGateOptions
{
    /// <summary>Gets or sets the database holding the shared grants; the caller owns and disposes it.</summary>
    /// <value>The default value is null; required.</value>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Gets or sets the location's gate options (location, credential, address policy, timings), as for a
    /// <see cref="NamedLocationGate"/>. Leave <see cref="NamedLocationGateOptions.Store"/> unset: the database is the
    /// store, and the writer's gate gets one that holds the table's grants.
    /// </summary>
    /// <value>The default value is a new <see cref="NamedLocationGateOptions"/>, whose location must be set.</value>
    public NamedLocationGateOptions Gate { get; set; } = new();

    /// <summary>
    /// Gets or sets the Graph client the writer's gate uses instead of the SDK's own (null: the SDK's, built from
    /// <see cref="Gate"/>'s credential and cloud, paced per tenant).
    /// </summary>
    /// <value>The default value is null: the SDK's own client.</value>
    public INamedLocationClient? Client { get; set; }

    /// <summary>
    /// Gets or sets the key of the location's rows in the database (null: <see cref="NamedLocationGateOptions.LocationId"/>).
    /// Every agent of one location must use the same key.
    /// </summary>
    /// <value>The default value is null: the location's id.</value>
    public string? LocationKey { get; set; }

    /// <summary>Gets or sets this agent's name in the table (<c>granted_by</c>, <c>writer</c>); null: the machine, process and a random suffix.</summary>
    /// <value>The default value is null: <c>machine/process/random</c>.</value>
    public string? AgentName { get; set; }

    /// <summary>Gets or sets how long a writer's lease lasts without renewal (by the database's clock).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often the writer renews its lease and the others try to take it; at most a third of the lease.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how often an agent reads the location's counters when no notification arrived (LISTEN/NOTIFY is the
    /// fast path; this is the fallback). Default 1 s, and never less.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long after a takeover a request of the previous writer may still land in Entra: the new writer
    /// reads the location again then (once reads are trusted) and repairs any such late write. Measured by
    /// <see cref="NamedLocationGateOptions.TimeProvider"/>. Null: the previous
    /// writer's whole retry budget, <see cref="GraphResilienceOptions.TotalTimeout"/> of <see cref="Gate"/>.
    /// </summary>
    /// <value>The default value is null: the gate's <c>Resilience.TotalTimeout</c> (3 minutes by default).</value>
    public TimeSpan? LateWriteWindow { get; set; }

    /// <summary>Gets or sets the clock of the lease deadlines (real time, as the database's); the system's by default.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider LeaseClock { get; set; } = TimeProvider.System;

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DataSource is null)
        {
            problems.Add("DataSource is required.");
        }

        if (Gate is null)
        {
            problems.Add("Gate is required.");
        }
        else if (Gate.Store is not null)
        {
            problems.Add("Gate.Store must be unset: the database is the store.");
        }
        else if ((LocationKey ?? Gate.LocationId) is not { Length: > 0 })
        {
            problems.Add("LocationKey or Gate.LocationId is required: every agent of a location finds it by that key.");
        }

        if (PollInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("PollInterval is at least 1 s: notifications are the fast path, polling only the fallback.");
        }

        if (LeaseDuration <= TimeSpan.Zero || RenewInterval <= TimeSpan.Zero || RenewInterval * 3 > LeaseDuration)
        {
            problems.Add("LeaseDuration must be positive and at least three RenewIntervals.");
        }

        return problems;
    }
}
