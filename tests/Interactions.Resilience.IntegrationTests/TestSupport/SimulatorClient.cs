using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.IntegrationTests.TestSupport;

/// <summary>
/// An app's registration, as in Program.cs — <c>AddHttpClient("sim", …).AddInteractionsResilience(…)</c> — pointed at a
/// simulator (or any address), on the real clock. Each instance has its own <see cref="ServiceProvider"/>, so its
/// halts and rate-limit waits are its own.
/// </summary>
internal sealed class SimulatorClient : IDisposable
{
    public const string Name = "sim";

    public SimulatorClient(Uri baseAddress, Action<InteractionsResilienceOptions>? configure = null, bool fastTimings = true, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        configureServices?.Invoke(services); // e.g. an IInteractionsCredentialRefresher
        services.AddHttpClient(Name, c => c.BaseAddress = baseAddress)
            .AddInteractionsResilience(o =>
            {
                if (fastTimings)
                {
                    ApplyFastTimings(o);
                }

                configure?.Invoke(o);
            });
        Services = services.BuildServiceProvider();
        Client = Services.GetRequiredService<IHttpClientFactory>().CreateClient(Name);
    }

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Real-clock waits scaled down to milliseconds, so a run that exhausts every retry stays short. Attempt and
    /// total timeouts keep their defaults unless a test sets them.
    /// </summary>
    public static void ApplyFastTimings(InteractionsResilienceOptions options)
    {
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.UseJitter = false;
        options.PinCooldown = TimeSpan.FromMilliseconds(200);
        options.RateLimit.DefaultDelay = TimeSpan.FromMilliseconds(20);
        options.HaltDuration = TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        Client.Dispose();
        Services.Dispose();
    }
}
