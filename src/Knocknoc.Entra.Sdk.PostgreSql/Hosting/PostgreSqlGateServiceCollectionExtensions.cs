using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

// In the namespace of IServiceCollection, as the SDK's AddNamedLocationGate is, so a host finds them without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="PostgreSqlNamedLocationGate"/>s with a host: the SDK's <c>AddNamedLocationGate</c> with the
/// PostgreSQL database as the shared truth of the location's grants, so the agents of several hosts act as one gate.
/// </summary>
public static class PostgreSqlGateServiceCollectionExtensions
{
    /// <summary>Registers the default shared gate, named <see cref="NamedLocationGates.DefaultName"/>; see <see cref="AddPostgreSqlNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, PostgreSqlGateOptions})"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the shared gate's options.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    public static IHttpClientBuilder AddPostgreSqlNamedLocationGate(this IServiceCollection services, Action<PostgreSqlGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddPostgreSqlNamedLocationGate(NamedLocationGates.DefaultName, (_, options) => configure(options));
    }

    /// <summary>Registers a shared gate called <paramref name="name"/>; see <see cref="AddPostgreSqlNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, PostgreSqlGateOptions})"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configure">Sets the shared gate's options.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    public static IHttpClientBuilder AddPostgreSqlNamedLocationGate(this IServiceCollection services, string name, Action<PostgreSqlGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddPostgreSqlNamedLocationGate(name, (_, options) => configure(options));
    }

    /// <summary>
    /// Registers a shared gate called <paramref name="name"/> whose options come from <paramref name="configuration"/>
    /// (such as <c>builder.Configuration.GetSection("Entra")</c>), bound by <see cref="PostgreSqlGateConfiguration.Bind"/>:
    /// a gate's keys plus a <c>PostgreSql</c> subsection. An unknown key or an unusable value fails the host's start
    /// with every other problem, naming the key. See
    /// <see cref="AddPostgreSqlNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, PostgreSqlGateOptions})"/>
    /// for the rest, the data source included.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configuration">The gate's configuration section.</param>
    /// <param name="configure">Sets what configuration cannot hold (a data source, a transport of the host's), after the binding; optional.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    /// <exception cref="InvalidOperationException">A gate called <paramref name="name"/> is already registered.</exception>
    public static IHttpClientBuilder AddPostgreSqlNamedLocationGate(
        this IServiceCollection services, string name, IConfiguration configuration, Action<IServiceProvider, PostgreSqlGateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddPostgreSqlNamedLocationGate(name, (provider, options) =>
        {
            PostgreSqlGateConfiguration.Bind(configuration, options);
            configure?.Invoke(provider, options);
        });
    }

    /// <summary>
    /// Registers a shared gate called <paramref name="name"/> as the SDK's
    /// <see cref="NamedLocationGateServiceCollectionExtensions.AddNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, NamedLocationGateOptions})"/>
    /// registers a gate: a keyed singleton <see cref="INamedLocationGate"/> (and a plain one for the gate named
    /// <see cref="NamedLocationGates.DefaultName"/>), listed in <see cref="NamedLocationGates"/>, started with the host
    /// and disposed when the host stops; here the gate is a <see cref="PostgreSqlNamedLocationGate"/>, also a keyed
    /// service of its own type under <paramref name="name"/> (for <see cref="PostgreSqlNamedLocationGate.IsWriter"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="configure"/> sets the properties of <see cref="PostgreSqlGateOptions.Gate"/> (the location, the
    /// credential, the address policy), which are the SDK's gate options: the container completes them (name, logger,
    /// clock, the transport of the HTTP client whose builder is returned) and checks them as for any gate. It must not
    /// replace <see cref="PostgreSqlGateOptions.Gate"/> nor set its store: the database is the store.
    /// </para>
    /// <para>
    /// A <see cref="PostgreSqlGateOptions.DataSource"/> left null is the container's: the <see cref="NpgsqlDataSource"/>
    /// keyed by <paramref name="name"/>, else the plain one (as <c>AddNpgsqlDataSource</c> registers it). A data source the
    /// container built is disposed by it, after the gate, which gives its lease up first when the host stops so another
    /// agent takes over at once.
    /// </para>
    /// <para>
    /// Every problem (no data source, no location key, the SDK's own checks) fails the host's start in one
    /// <see cref="OptionsValidationException"/>. An unreachable database at start is transient (ENTRA063): the host
    /// starts, and the gate is started again in the background, as a gate Graph cannot reach yet is.
    /// </para>
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configure">Sets the shared gate's options, with the container at hand.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    /// <exception cref="InvalidOperationException">A gate called <paramref name="name"/> is already registered.</exception>
    public static IHttpClientBuilder AddPostgreSqlNamedLocationGate(this IServiceCollection services, string name, Action<IServiceProvider, PostgreSqlGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var registration = new SharedGateRegistration(name);

        // The SDK's registration does everything a gate needs (options, validation, the HTTP client, the hosted service,
        // the registry); only the gate it builds is replaced below.
        var client = services.AddNamedLocationGate(name, (provider, gate) =>
        {
            var shared = new PostgreSqlGateOptions { Gate = gate };
            configure(provider, shared);
            if (!ReferenceEquals(shared.Gate, gate))
            {
                throw new InvalidOperationException($"The shared gate '{ShownText.Of(name)}' has its gate options from the container: set the properties of PostgreSqlGateOptions.Gate, do not replace it.");
            }

            shared.DataSource ??= provider.GetKeyedService<NpgsqlDataSource>(name) ?? provider.GetService<NpgsqlDataSource>();
            registration.Remember(gate, shared);
        });
        services.AddSingleton<IValidateOptions<NamedLocationGateOptions>>(new SharedGateOptionsValidator(registration));

        var sdkGate = services.Single(d => d.IsKeyedService && d.ServiceType == typeof(INamedLocationGate) && Equals(d.ServiceKey, name));
        services.Remove(sdkGate);
        services.AddKeyedSingleton(name, (provider, _) =>
            PostgreSqlNamedLocationGate.Create(registration.For(provider.GetRequiredService<IOptionsMonitor<NamedLocationGateOptions>>().Get(name))));

        // The same instance; the container disposes it twice, which the gate's idempotent DisposeAsync allows.
        services.AddKeyedSingleton<INamedLocationGate>(name, (provider, _) => provider.GetRequiredKeyedService<PostgreSqlNamedLocationGate>(name));
        return client;
    }
}
