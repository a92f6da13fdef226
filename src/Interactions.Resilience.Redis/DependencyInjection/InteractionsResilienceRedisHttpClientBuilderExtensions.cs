using Interactions.Resilience;
using Interactions.Resilience.Redis;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Redis.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the pauses of an Interactions client between the instances of an app through Redis.</summary>
public static class InteractionsResilienceRedisHttpClientBuilderExtensions
{
    /// <summary>
    /// Shares this client's rate-limit waits, PIN cooldowns and halts with every instance of the app that uses
    /// the same Redis, through a connection of its own made from <paramref name="connectionString"/>.
    /// Call it after <c>AddInteractionsResilience()</c>.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="connectionString">A StackExchange.Redis connection string, e.g. <c>redis:6379,password=…</c>.
    /// <c>abortConnect</c> is always off: the app starts and works while Redis is down.</param>
    /// <param name="configure">Changes the options (channel, key prefix, timeouts), shared by every coordinated client.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddInteractionsResilience()</c> was not called, or another
    /// client was coordinated through another Redis connection.</exception>
    public static IHttpClientBuilder WithRedisCoordination(this IHttpClientBuilder builder, string connectionString, Action<InteractionsRedisCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.WithRedisCoordinationCore(RedisConnectionSource.FromConnectionString(connectionString), configure);
    }

    /// <summary>
    /// Shares this client's rate-limit waits, PIN cooldowns and halts with every instance of the app that uses
    /// the same Redis, through the <see cref="IConnectionMultiplexer"/> registered in DI.
    /// Call it after <c>AddInteractionsResilience()</c>.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Changes the options (channel, key prefix, timeouts), shared by every coordinated client.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddInteractionsResilience()</c> was not called, or another
    /// client was coordinated through another Redis connection.</exception>
    /// <remarks>Create that multiplexer with <c>AbortOnConnectFail = false</c>, so that the app works while Redis is down.</remarks>
    public static IHttpClientBuilder WithRedisCoordination(this IHttpClientBuilder builder, Action<InteractionsRedisCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithRedisCoordinationCore(RedisConnectionSource.FromServices, configure);
    }

    private static IHttpClientBuilder WithRedisCoordinationCore(this IHttpClientBuilder builder, RedisConnectionSource source, Action<InteractionsRedisCoordinationOptions>? configure)
    {
        var services = builder.Services;
        if (!services.Any(static d => d.ServiceType == typeof(InteractionsPauseBoard)))
        {
            throw new InvalidOperationException("Call AddInteractionsResilience() on the client before WithRedisCoordination().");
        }

        var registered = services.FirstOrDefault(static d => d.ServiceType == typeof(RedisConnectionSource))?.ImplementationInstance;
        if (registered is null)
        {
            services.AddSingleton(source);
        }
        else if (!source.Equals(registered))
        {
            throw new InvalidOperationException("WithRedisCoordination() was already called with another Redis connection: one Redis coordinates all the clients of an app.");
        }

        var name = builder.Name;
        var options = services.AddOptions<InteractionsRedisCoordinationOptions>().Configure(o => o.ClientNames.Add(name));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InteractionsRedisCoordinationOptions>, InteractionsRedisCoordinationOptionsValidator>());
        services.TryAddSingleton<RedisCoordinationMetrics>();
        services.TryAddSingleton<RedisPauseCoordinator>();

        // The shared release pace, for the core's rate control; it serves only the coordinated clients.
        services.TryAddSingleton<ISharedPace>(static sp =>
        {
            var coordinator = sp.GetRequiredService<RedisPauseCoordinator>();
            var options = sp.GetRequiredService<IOptions<InteractionsRedisCoordinationOptions>>().Value;
            return new RedisSharedPace(
                () => coordinator.Connection,
                options.KeyPrefix,
                options.PaceTimeout,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Interactions.Resilience.Redis"),
                sp.GetRequiredService<RedisCoordinationMetrics>(),
                coordinator.IsCoordinated);
        });
        services.AddHostedService<RedisCoordinationHostedService>();

        // Without a host nothing runs the hosted service: the first handler chain of the client starts it.
        builder.ConfigureAdditionalHttpMessageHandlers(static (_, services) => services.GetRequiredService<RedisPauseCoordinator>().EnsureStarted());
        return builder;
    }
}
