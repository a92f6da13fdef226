using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>
/// A client of a scenario's own, for options that differ from appsettings.json: a separate
/// <see cref="ServiceCollection"/> with the same <c>AddHttpClient&lt;MessagesClient&gt;().AddInteractionsResilience(…)</c>
/// registration as Program.cs, configured in code and pointed at the same simulator. Its halts, waits, circuit
/// and limiter are its own: the app's client is not touched.
/// </summary>
internal sealed class ScenarioClient : IDisposable
{
    private readonly ServiceProvider _services;

    public ScenarioClient(
        Uri baseAddress,
        Action<InteractionsResilienceOptions> configure,
        Action<IServiceCollection>? configureServices = null,
        Action<IHttpClientBuilder>? configureClient = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configureServices?.Invoke(services);
        var client = services.AddHttpClient<MessagesClient>(c => c.BaseAddress = baseAddress)
            .AddInteractionsResilience(o =>
            {
                ShortTimings(o);
                configure(o);
            });
        configureClient?.Invoke(client);
        _services = services.BuildServiceProvider();
    }

    /// <summary>Gets the service provider, for a scenario that starts hosted services or reads its registrations.</summary>
    public IServiceProvider Services => _services;

    /// <summary>
    /// The app's logic on an <see cref="HttpClient"/> of this registration. Every client it makes shares one
    /// handler state; <paramref name="defaultHeaders"/> (for example <c>X-Sender</c>) go on every request of this one.
    /// </summary>
    public Notifications App(Action<System.Net.Http.Headers.HttpRequestHeaders>? defaultHeaders = null)
    {
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(MessagesClient));
        defaultHeaders?.Invoke(http.DefaultRequestHeaders);
        return new Notifications(new MessagesClient(http));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>The demo's shortened timings of appsettings.json, so that these clients behave like the app's.</summary>
    private static void ShortTimings(InteractionsResilienceOptions o)
    {
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(200);
        o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        o.MaxWait = TimeSpan.FromSeconds(10);
        o.HaltDuration = TimeSpan.FromSeconds(10);
        o.AttemptTimeout = TimeSpan.FromSeconds(5);
        o.TotalTimeout = TimeSpan.FromSeconds(20);
    }
}
