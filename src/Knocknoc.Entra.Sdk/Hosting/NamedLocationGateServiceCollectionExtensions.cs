using Knocknoc.Entra.Sdk;
using Knocknoc.Entra.Sdk.Diagnostics;
using Knocknoc.Entra.Sdk.Graph;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// In the namespace of IServiceCollection, as extension methods for it customarily are, so a host finds them without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="INamedLocationGate"/>s with a host: options validated at start, a hosted service that starts and stops them.</summary>
public static class NamedLocationGateServiceCollectionExtensions
{
    /// <summary>Registers the default gate, named <see cref="NamedLocationGates.DefaultName"/>; see <see cref="AddNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, NamedLocationGateOptions})"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the gate's options.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    public static IHttpClientBuilder AddNamedLocationGate(this IServiceCollection services, Action<NamedLocationGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddNamedLocationGate(NamedLocationGates.DefaultName, (_, options) => configure(options));
    }

    /// <summary>Registers a gate called <paramref name="name"/>; see <see cref="AddNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, NamedLocationGateOptions})"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configure">Sets the gate's options.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    public static IHttpClientBuilder AddNamedLocationGate(this IServiceCollection services, string name, Action<NamedLocationGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddNamedLocationGate(name, (_, options) => configure(options));
    }

    /// <summary>
    /// Registers a gate called <paramref name="name"/> whose options come from <paramref name="configuration"/> (such as
    /// <c>builder.Configuration.GetSection("Entra")</c>), bound by <see cref="NamedLocationGateConfiguration.Bind"/>:
    /// an unknown key or an unusable value fails the host's start with every other problem, naming the key. See
    /// <see cref="AddNamedLocationGate(IServiceCollection, string, Action{IServiceProvider, NamedLocationGateOptions})"/>
    /// for the rest.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configuration">The gate's configuration section.</param>
    /// <param name="configure">Sets what configuration cannot hold (a store or a transport of the host's), after the binding; optional.</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    /// <exception cref="InvalidOperationException">A gate called <paramref name="name"/> is already registered.</exception>
    public static IHttpClientBuilder AddNamedLocationGate(this IServiceCollection services, string name, IConfiguration configuration, Action<IServiceProvider, NamedLocationGateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddNamedLocationGate(name, (provider, options) =>
        {
            NamedLocationGateConfiguration.Bind(configuration, options);
            configure?.Invoke(provider, options);
        });
    }

    /// <summary>
    /// Registers a gate called <paramref name="name"/>: a keyed singleton <see cref="INamedLocationGate"/> (and a plain
    /// one for the gate named <see cref="NamedLocationGates.DefaultName"/>), listed in <see cref="NamedLocationGates"/>,
    /// started with the host and disposed (its write in flight finished) when the host stops.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The options are checked when the host starts (every problem listed in one
    /// <see cref="OptionsValidationException"/>). <see cref="NamedLocationGateOptions.Name"/> is set to
    /// <paramref name="name"/>; a <see cref="NamedLocationGateOptions.LoggerFactory"/> left null is the container's,
    /// and a <see cref="NamedLocationGateOptions.TimeProvider"/> left at <see cref="TimeProvider.System"/> is the
    /// container's <see cref="TimeProvider"/> when it has one.
    /// </para>
    /// <para>
    /// Unless <see cref="NamedLocationGateOptions.Transport"/> is set, the gate's transport is the handler chain of the
    /// HTTP client <c>Knocknoc.Entra.Gate.{name}</c>, whose builder is returned. Its first handler is the SDK's Graph
    /// pipeline, added with <c>AddResilienceHandler</c> as the pipeline <c>graph</c> (timeouts, retries, the tenant's
    /// pacing, from <see cref="NamedLocationGateOptions.Resilience"/>), so its events reach the host's resilience
    /// telemetry; MSAL's sign-in requests pass it by. Handlers added to the builder (a proxy, logging) run beneath the
    /// SDK's token handler and that pipeline, and its primary handler is a
    /// <see cref="SocketsHttpHandler"/> that follows no redirects (one that does fails the start) and trusts only
    /// <see cref="NamedLocationGateOptions.TrustedRootCertificates"/> when they are set. The gate takes that
    /// chain once and keeps it, so its handler lifetime is infinite; connections are still renewed every five minutes.
    /// </para>
    /// <para>
    /// The gates stop before the hosted services registered earlier than them: register a service that uses a gate
    /// while it stops after the gate.
    /// </para>
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The gate's name: its service key, and a tag on its logs and metrics.</param>
    /// <param name="configure">Sets the gate's options, with the container at hand (for a store, a credential or a clock of the host's).</param>
    /// <returns>The builder of the gate's HTTP client, to add handlers beneath the SDK's.</returns>
    /// <exception cref="InvalidOperationException">A gate called <paramref name="name"/> is already registered.</exception>
    public static IHttpClientBuilder AddNamedLocationGate(this IServiceCollection services, string name, Action<IServiceProvider, NamedLocationGateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(NamedLocationGateRegistration) && !d.IsKeyedService && d.ImplementationInstance is NamedLocationGateRegistration r && r.Name == name))
        {
            throw new InvalidOperationException($"A named location gate called '{ShownText.Of(name)}' is already registered; give each gate its own name.");
        }

        var registration = new NamedLocationGateRegistration(name);
        services.AddSingleton(registration);

        services.AddOptions<NamedLocationGateOptions>(name)
            .Configure<IServiceProvider>((options, provider) => configure(provider, options))
            .PostConfigure<IServiceProvider>((options, provider) => Complete(options, registration, provider))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NamedLocationGateOptions>>(new NamedLocationGateOptionsValidator()));

        services.AddKeyedSingleton<INamedLocationGate>(name, (provider, _) =>
            NamedLocationGate.Create(provider.GetRequiredService<IOptionsMonitor<NamedLocationGateOptions>>().Get(name)));
        if (name == NamedLocationGates.DefaultName)
        {
            // The same instance; the container disposes it twice, which a gate's idempotent DisposeAsync allows.
            services.AddSingleton(provider => provider.GetRequiredKeyedService<INamedLocationGate>(name));
        }

        services.TryAddSingleton(provider => new NamedLocationGates(provider, provider.GetServices<NamedLocationGateRegistration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NamedLocationGateHostedService>(provider => new NamedLocationGateHostedService(
            provider.GetRequiredService<NamedLocationGates>(),
            provider.GetRequiredService<IOptionsMonitor<NamedLocationGateOptions>>(),
            provider.GetRequiredService<ILogger<NamedLocationGateHostedService>>())));

        // The gate is a singleton that takes its handler once, and MSAL caches its application (and token cache) per
        // transport: a rotated handler would be ignored by the gate, or cost a new sign-in. So the handler never expires,
        // and PooledConnectionLifetime renews the connections (DNS changes) instead.
        var client = services.AddHttpClient(registration.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Transports.CreateDefault(registration.TrustedRoots))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // The SDK's Graph pipeline is this client's resilience handler, first so the host's handlers run beneath it:
        // its pipeline is in the host's registry (key "{client}-graph") and its events in the host's telemetry. MSAL's
        // sign-in requests share the transport and get the empty "sign-in" instance.
        client.AddResilienceHandler(GraphResiliencePipeline.Name, (builder, context) =>
            {
                if (context.InstanceName != GraphResiliencePipeline.SignInInstance)
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<NamedLocationGateOptions>>().Get(name);
                    var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NamedLocationClient>();
                    var limiter = NamedLocationClient.PacingFor(options.TimeProvider, options.Cloud, options.Credential);
                    GraphResiliencePipeline.Configure(builder, options.Resilience, options.TimeProvider, limiter, new GraphDiagnostics(logger, options.Events));
                }
            })
            .SelectPipelineBy(static _ => GraphResiliencePipeline.InstanceFor);
        return client;
    }

    /// <summary>Fills in what the container provides, after the host's own configuration.</summary>
    private static void Complete(NamedLocationGateOptions options, NamedLocationGateRegistration registration, IServiceProvider provider)
    {
        options.Name = registration.Name;
        options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
        options.Events ??= provider.GetService<Knocknoc.Entra.Sdk.Diagnostics.EntraEventObserver>();
        if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && provider.GetService<TimeProvider>() is { } time)
        {
            options.TimeProvider = time;
        }

        // A transport the host set (a test's emulator, a handler of its own) is used as it is.
        if (options.Transport is null)
        {
            registration.TrustedRoots = options.TrustedRootCertificates;
            options.Transport = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(registration.HttpClientName);
            options.GateClientHandler = options.Transport;
        }
    }
}
