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

    /// <summary>
    /// Spends the quota as a server shows it: three requests in flight together, each answered 030003 with
    /// <paramref name="retryAfter"/> — the evidence the rate controller needs before it pauses the scope and tells the
    /// other instances (a lone 030003 pauses nobody). Completes when the three calls have: counts of those that
    /// succeeded after their wait and of those that failed with <see cref="InteractionsRateLimitException"/>.
    /// </summary>
    public async Task<(int Succeeded, int RateLimited)> SpendQuotaAsync(TimeSpan retryAfter, int status = 429, Func<HttpRequestMessage>? request = null)
    {
        for (var i = 0; i < 3; i++)
        {
            Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, status, retryAfter));
        }

        var calls = Enumerable.Range(0, 3)
            .Select(i => Client.SendAsync(request?.Invoke() ?? new HttpRequestMessage(HttpMethod.Get, $"v1/messages/quota-{i}")))
            .ToArray();
        var (succeeded, limited) = (0, 0);
        foreach (var call in calls)
        {
            try
            {
                using var response = await call.ConfigureAwait(false);
                succeeded += response.IsSuccessStatusCode ? 1 : 0;
            }
            catch (InteractionsRateLimitException)
            {
                limited++;
            }
        }

        return (succeeded, limited);
    }

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
