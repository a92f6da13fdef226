using Interactions.Resilience.Pipeline.Internal;
using Interactions.Resilience;
using Interactions.Resilience.DependencyInjection.Internal;
using Interactions.Resilience.Operations.Internal;
using Interactions.Resilience.Options.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Interactions resilience handler to an <see cref="IHttpClientBuilder"/>.</summary>
public static class InteractionsResilienceHttpClientBuilderExtensions
{
    /// <summary>Adds the Interactions resilience handler with the default options.</summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddInteractionsResilience(this IHttpClientBuilder builder)
        => builder.AddInteractionsResilience(static _ => { });

    /// <summary>Adds the Interactions resilience handler, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Changes the options of this client.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddInteractionsResilience(this IHttpClientBuilder builder, Action<InteractionsResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<InteractionsResilienceOptions>(builder.Name).Configure(configure);
        return builder.AddInteractionsResilienceCore();
    }

    /// <summary>Adds the Interactions resilience handler, with options bound from <paramref name="section"/>.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="section">The configuration section, e.g. <c>Interactions:Resilience</c>, with the options' names.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// An unknown key, a value that does not convert or a policy name that is not one fails at start-up with an
    /// <see cref="OptionsValidationException"/> naming the setting by its configuration path.
    /// </remarks>
    public static IHttpClientBuilder AddInteractionsResilience(this IHttpClientBuilder builder, IConfigurationSection section)
        => builder.AddInteractionsResilience(section, static _ => { });

    /// <summary>
    /// Adds the Interactions resilience handler, with options bound from <paramref name="section"/>, then changed by
    /// <paramref name="configure"/> (for what configuration cannot hold: <c>Classifier</c>, <c>RateLimit.ScopeSelector</c>).
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="section">The configuration section, e.g. <c>Interactions:Resilience</c>, with the options' names.</param>
    /// <param name="configure">Changes the options of this client after they are bound.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// An unknown key, a value that does not convert or a policy name that is not one fails at start-up with an
    /// <see cref="OptionsValidationException"/> naming the setting by its configuration path.
    /// </remarks>
    public static IHttpClientBuilder AddInteractionsResilience(this IHttpClientBuilder builder, IConfigurationSection section, Action<InteractionsResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        builder.Services.AddOptions<InteractionsResilienceOptions>(name)
            .Configure(options => InteractionsResilienceConfiguration.Bind(section, options, name))
            .Configure(configure);
        return builder.AddInteractionsResilienceCore();
    }

    private static IHttpClientBuilder AddInteractionsResilienceCore(this IHttpClientBuilder builder)
    {
        var name = builder.Name;
        builder.Services.AddOptions<InteractionsResilienceOptions>(name).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InteractionsResilienceOptions>, InteractionsResilienceOptionsValidator>());
        builder.Services.TryAddSingleton<ClientResilienceRegistry>();
        builder.Services.TryAddSingleton(static services => new InteractionsPauseBoard(
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Interactions.Resilience")));
        builder.Services.AddOptions<RegisteredClients>().Configure(clients => clients.Names.Add(name));
        builder.Services.TryAddSingleton(static services => new InteractionsPauses(
            services.GetRequiredService<InteractionsPauseBoard>(),
            services.GetRequiredService<IOptions<RegisteredClients>>().Value.Names));

        // The handler owns the timeouts, as AddStandardResilienceHandler does.
        builder.ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler(services => new InteractionsResilienceHandler(services.GetRequiredService<ClientResilienceRegistry>().Get(name)));

        // AddStandardResilienceHandler() on the same client, before or after this call, leaves our failures to us.
        StandardHandlerStacking.Register(builder.Services, name);
        return builder;
    }
}
