using Microsoft.Extensions.Configuration;

namespace Knocknoc.Entra.Sdk.PostgreSql;

/// <summary>
/// Binds a shared gate's options from configuration: the section is a gate's section as
/// <see cref="NamedLocationGateConfiguration"/> reads it (the location, the credential, the timings), plus a
/// <c>PostgreSql</c> subsection with what sharing adds: <c>LocationKey</c>, <c>AgentName</c>, <c>LeaseDuration</c>,
/// <c>RenewInterval</c>, <c>PollInterval</c> and <c>LateWriteWindow</c>. So a gate already configured turns into a
/// shared one by one subsection. The database is not configuration: the connection string holds a password, and the
/// <see cref="Npgsql.NpgsqlDataSource"/> comes from the container or the options. An unknown key or an unusable value is
/// a problem reported with every other at the gate's creation or the host's start, naming the key.
/// </summary>
public static class PostgreSqlGateConfiguration
{
    /// <summary>The subsection of the gate's section that holds the sharing settings.</summary>
    public const string SectionName = "PostgreSql";

    private static readonly string[] Keys = ["LocationKey", "AgentName", "LeaseDuration", "RenewInterval", "PollInterval", "LateWriteWindow"];

    /// <summary>Sets the options found in <paramref name="configuration"/>; keys it does not hold keep their values.</summary>
    /// <param name="configuration">The gate's section, such as <c>configuration.GetSection("Entra")</c>.</param>
    /// <param name="options">The options to set; their <see cref="PostgreSqlGateOptions.Gate"/> takes the gate's keys.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Bind(IConfiguration configuration, PostgreSqlGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var gate = options.Gate ?? throw new ArgumentException("PostgreSqlGateOptions.Gate is null.", nameof(options));
        NamedLocationGateConfiguration.BindLeaving(configuration, gate, [SectionName]);

        var section = configuration.GetSection(SectionName);
        var reader = new ConfigurationReader(section, gate.ConfigurationProblems);
        reader.RefuseUnknown(section, Keys);
        reader.Text("LocationKey", value => options.LocationKey = value);
        reader.Text("AgentName", value => options.AgentName = value);
        reader.Parsed<TimeSpan>("LeaseDuration", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.LeaseDuration = value);
        reader.Parsed<TimeSpan>("RenewInterval", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.RenewInterval = value);
        reader.Parsed<TimeSpan>("PollInterval", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.PollInterval = value);
        reader.Parsed<TimeSpan>("LateWriteWindow", ConfigurationReader.SpanForm, ConfigurationReader.TrySpan, value => options.LateWriteWindow = value);
    }
}
