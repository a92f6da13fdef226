using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// The error path: a GET whose first attempt gets 500 + 060001 and whose retry, with no delay, gets 200, through
/// the standard handler and through ours, on the same kind of in-memory primary handler: one that answers at once
/// and one that completes asynchronously, as a socket does, each its own group with the standard handler as baseline.
/// Neither breaker may open and our retry budget is off, so every request is one failure and one success.
/// </summary>
[MemoryDiagnoser]
public class ErrorPathBenchmarks
{
    private const string Standard = "standard";
    private const string Interactions = "interactions";

    private static readonly Uri MessagesUri = new("http://interactions.invalid/v1/messages/1");

    private ServiceProvider _services = null!;
    private HttpClient _standard = null!;
    private HttpClient _interactions = null!;
    private DeferredCompletion? _deferred;

    /// <summary>Whether the primary handler answers at once or only after <c>SendAsync</c> has returned.</summary>
    [Params(PrimaryKind.SyncStub, PrimaryKind.AsyncStub)]
    public PrimaryKind Primary { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _deferred = Primary == PrimaryKind.AsyncStub ? new DeferredCompletion() : null;
        var services = new ServiceCollection();
        AddClient(services, Standard).AddStandardResilienceHandler(static o =>
        {
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.MinimumThroughput = int.MaxValue;
        });
        AddClient(services, Interactions).AddInteractionsResilience(static o =>
        {
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.UseJitter = false;
            o.CircuitBreaker.Enabled = false;
            o.RetryBudget.Enabled = false;
        });

        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _standard = factory.CreateClient(Standard);
        _interactions = factory.CreateClient(Interactions);

        // Both must really retry once and succeed, or the rows measure something else.
        Standard_OneServerErrorThenOk().GetAwaiter().GetResult();
        Interactions_OneServerErrorThenOk().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task Standard_OneServerErrorThenOk() => Get(_standard);

    [Benchmark]
    public Task Interactions_OneServerErrorThenOk() => Get(_interactions);

    private IHttpClientBuilder AddClient(IServiceCollection services, string name)
    {
        var stub = new FlakyStubHandler(_deferred); // one per client: each sees its own odd and even calls
        return services
            .AddHttpClient(name, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => stub);
    }

    private async Task Get(HttpClient client)
    {
        // On AsyncStub the primary answers each send (the 500, then the retry's 200) once the call has returned, waiting.
        var call = client.GetAsync(MessagesUri);
        using var response = await (_deferred is null ? call : _deferred.Answer(call)).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The retry should have succeeded, got {(int)response.StatusCode}.");
        }
    }
}
