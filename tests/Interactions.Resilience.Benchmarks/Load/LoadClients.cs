using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>The two registrations compared under load, on real HTTP against the simulator.</summary>
internal static class LoadClients
{
    public const string Interactions = "AddInteractionsResilience()";
    public const string Standard = "AddStandardResilienceHandler()";

    /// <summary>Our handler with its defaults.</summary>
    public static ServiceProvider Ours(Uri baseAddress)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("load", c => c.BaseAddress = baseAddress).AddInteractionsResilience();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Ours with <c>WithRedisCoordination</c>: one instance of a fleet. The channel and keys are named after the
    /// simulator's port, so that the instances of one run share them and no run reads another's pauses.
    /// </summary>
    public static ServiceProvider OursWithRedis(Uri baseAddress, string connectionString)
    {
        var keySpace = $"bench:{baseAddress.Port}:";
        var services = new ServiceCollection();
        services.AddHttpClient("load", c => c.BaseAddress = baseAddress)
            .AddInteractionsResilience()
            .WithRedisCoordination(connectionString, o =>
            {
                o.Channel = keySpace + "pauses";
                o.KeyPrefix = keySpace + "pause:";
            });
        return services.BuildServiceProvider();
    }

    /// <summary>The standard handler; <paramref name="patient"/>: 30 retries and a breaker that does not open.</summary>
    public static ServiceProvider TheStandard(Uri baseAddress, bool patient)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("load", c => c.BaseAddress = baseAddress).AddStandardResilienceHandler(o =>
        {
            if (patient)
            {
                o.Retry.MaxRetryAttempts = 30;
                o.CircuitBreaker.FailureRatio = 1.0;
                o.CircuitBreaker.MinimumThroughput = int.MaxValue;
                o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
            }
        });
        return services.BuildServiceProvider();
    }

    public static HttpClient Client(this ServiceProvider services) => services.GetRequiredService<IHttpClientFactory>().CreateClient("load");
}
