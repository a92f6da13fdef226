using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// The 2xx path: what a pipeline costs over a bare <see cref="HttpClient"/> when the first attempt succeeds.
/// Every client has the same in-memory primary handler and an infinite <see cref="HttpClient.Timeout"/>,
/// so the difference between rows is the handlers alone (DESIGN.md, "Performance budgets").
/// </summary>
[MemoryDiagnoser]
public class TwoXxPathBenchmarks
{
    private const string Bare = "bare";
    private const string Standard = "standard";
    private const string Interactions = "interactions";

    private static readonly Uri MessagesUri = new("http://interactions.invalid/v1/messages");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private ServiceProvider _services = null!;
    private HttpClient _bare = null!;
    private HttpClient _standard = null!;
    private HttpClient _interactions = null!;

    [GlobalSetup]
    public void Setup()
    {
        var stub = new StubHandler();
        var services = new ServiceCollection();

        AddClient(services, Bare, stub);
        AddClient(services, Standard, stub).AddStandardResilienceHandler();
        AddClient(services, Interactions, stub).AddInteractionsResilience();

        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _bare = factory.CreateClient(Bare);
        _standard = factory.CreateClient(Standard);
        _interactions = factory.CreateClient(Interactions);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task Bare_Get() => Get(_bare);

    [Benchmark]
    public Task Standard_Get() => Get(_standard);

    [Benchmark]
    public Task Interactions_Get() => Get(_interactions);

    [Benchmark]
    public Task Bare_Post() => Post(_bare);

    [Benchmark]
    public Task Standard_Post() => Post(_standard);

    [Benchmark]
    public Task Interactions_Post() => Post(_interactions);

    private static IHttpClientBuilder AddClient(IServiceCollection services, string name, StubHandler stub)
        => services
            .AddHttpClient(name, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => stub);

    private static async Task Get(HttpClient client)
    {
        using var response = await client.GetAsync(MessagesUri).ConfigureAwait(false);
        EnsureOk(response);
    }

    private static async Task Post(HttpClient client)
    {
        using var content = new StringContent("""{"to":"+15550100","template":"welcome"}""", Json);
        using var response = await client.PostAsync(MessagesUri, content).ConfigureAwait(false);
        EnsureOk(response);
    }

    // Cheaper than EnsureSuccessStatusCode's message building, and fails loudly if the stub is bypassed.
    private static void EnsureOk(HttpResponseMessage response)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The stub answers 200, got {(int)response.StatusCode}.");
        }
    }
}
