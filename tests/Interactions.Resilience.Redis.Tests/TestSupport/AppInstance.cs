using System.Diagnostics;
using System.Diagnostics.Metrics;
using Interactions.Resilience.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// One instance of the sending app, as its Program.cs would register it:
/// <c>AddHttpClient("sms").AddInteractionsResilience(...).WithRedisCoordination(...)</c>, in a service
/// provider of its own, over a <see cref="StubServer"/>. Real time.
/// </summary>
public sealed class AppInstance : IDisposable
{
    public const string ClientName = "sms";

    public AppInstance(
        string connectionString,
        string keySpace,
        Action<InteractionsResilienceOptions>? configure = null,
        bool multiplexerFromServices = false,
        Action<InteractionsRedisCoordinationOptions>? coordination = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddMetrics(); // a meter of its own, so that each instance's counters are read apart
        if (multiplexerFromServices)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connectionString + ",abortConnect=false"));
        }

        void Coordination(InteractionsRedisCoordinationOptions o)
        {
            o.Channel = keySpace + "pauses";
            o.KeyPrefix = keySpace + "pause:";
            coordination?.Invoke(o);
        }

        var builder = services.AddHttpClient(ClientName, c => c.BaseAddress = new Uri("http://interactions.test/"))
            .AddInteractionsResilience(o =>
            {
                o.Retry.UseJitter = false;
                configure?.Invoke(o);
            });
        builder = multiplexerFromServices
            ? builder.WithRedisCoordination(Coordination)
            : builder.WithRedisCoordination(connectionString, Coordination);
        builder.ConfigurePrimaryHttpMessageHandler(() => Server);

        Services = services.BuildServiceProvider();
        Ignored = new IgnoredCounter(Services.GetRequiredService<IMeterFactory>().Create(InteractionsTelemetryNames.MeterName));

        // The first client starts the coordination: connects, subscribes and reads the pauses in force.
        var started = Stopwatch.StartNew();
        Client = Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
        StartupTook = started.Elapsed;
    }

    public StubServer Server { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    public TimeSpan StartupTook { get; }

    /// <summary>Gets what this instance counted as ignored from other instances, by reason.</summary>
    public IgnoredCounter Ignored { get; }

    public InteractionsPauseBoard Board => Services.GetRequiredService<InteractionsPauseBoard>();

    internal RedisPauseCoordinator Coordinator => Services.GetRequiredService<RedisPauseCoordinator>();

    /// <summary>
    /// Waits until the coordination has started: connected, subscribed and the pauses in force read. Creating
    /// the client waits for that only up to the startup timeout, which a busy machine can exceed.
    /// </summary>
    public Task CoordinatingAsync() => Coordinator.EnsureStartedAsync().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Waits until a pause of <paramref name="code"/> is in force on this instance's board.</summary>
    public async Task<InteractionsPause> WaitForPauseAsync(InteractionsErrorCode code, TimeSpan? timeout = null, string? scope = null)
    {
        InteractionsPause? found = null;
        await Eventually.TrueAsync(
            () => (found = Board.GetPausesInForce().FirstOrDefault(p => p.Code == code && p.Scope == scope)) is not null,
            timeout ?? TimeSpan.FromSeconds(2),
            $"a {InteractionsErrorCatalog.Format(code)} pause on this instance");
        return found!;
    }

    public void Dispose()
    {
        Client.Dispose();
        Ignored.Dispose();
        Services.Dispose();
    }
}
