using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// The 2xx path: what a pipeline costs over a bare <see cref="HttpClient"/> when the first attempt succeeds, for
/// each <see cref="PrimaryKind"/>. The three clients of a row group come from one <see cref="IHttpClientFactory"/>
/// (so the factory's own logging handlers are in the baseline), sit on the same kind of primary handler and have an
/// infinite <see cref="HttpClient.Timeout"/>, so the difference between rows is the resilience handlers alone
/// (the README's "Performance" budgets). Each primary and verb is its own group with the bare client as baseline.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TwoXxPathBenchmarks
{
    private const string Bare = "bare";
    private const string Standard = "standard";
    private const string Interactions = "interactions";

    private static readonly Uri StubMessagesUri = new("http://interactions.invalid/v1/messages");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private DeferredCompletion? _deferred;
    private LoopbackServer? _server;
    private ServiceProvider _services = null!;
    private Uri _messagesUri = StubMessagesUri;
    private HttpClient _bare = null!;
    private HttpClient _standard = null!;
    private HttpClient _interactions = null!;

    /// <summary>The primary handler under all three clients.</summary>
    [Params(PrimaryKind.SyncStub, PrimaryKind.AsyncStub, PrimaryKind.Kestrel)]
    public PrimaryKind Primary { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        Func<HttpMessageHandler> primary;
        switch (Primary)
        {
            case PrimaryKind.SyncStub:
                var stub = new StubHandler();
                primary = () => stub;
                break;
            case PrimaryKind.AsyncStub:
                _deferred = new DeferredCompletion();
                var deferredStub = new StubHandler(_deferred);
                primary = () => deferredStub;
                break;
            case PrimaryKind.Kestrel:
                _server = await LoopbackServer.StartAsync().ConfigureAwait(false);
                _messagesUri = _server.MessagesUri;
                // Each client its own connection pool, as each named client has by default; no proxy from the environment.
                primary = static () => new SocketsHttpHandler { UseProxy = false };
                break;
            default:
                throw new InvalidOperationException($"Unknown primary {Primary}.");
        }

        var services = new ServiceCollection();
        AddClient(services, Bare, primary);
        AddClient(services, Standard, primary).AddStandardResilienceHandler();
        AddClient(services, Interactions, primary).AddInteractionsResilience();

        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _bare = factory.CreateClient(Bare);
        _standard = factory.CreateClient(Standard);
        _interactions = factory.CreateClient(Interactions);

        // Every row must answer 200 before anything is measured (on AsyncStub, after waiting for the primary);
        // on Kestrel this also opens each pool's connection.
        foreach (var client in new[] { _bare, _standard, _interactions })
        {
            await Get(client).ConfigureAwait(false);
            await Post(client).ConfigureAwait(false);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public Task Bare_Get() => Get(_bare);

    [Benchmark, BenchmarkCategory("Get")]
    public Task Standard_Get() => Get(_standard);

    [Benchmark, BenchmarkCategory("Get")]
    public Task Interactions_Get() => Get(_interactions);

    [Benchmark(Baseline = true), BenchmarkCategory("Post")]
    public Task Bare_Post() => Post(_bare);

    [Benchmark, BenchmarkCategory("Post")]
    public Task Standard_Post() => Post(_standard);

    [Benchmark, BenchmarkCategory("Post")]
    public Task Interactions_Post() => Post(_interactions);

    private static IHttpClientBuilder AddClient(IServiceCollection services, string name, Func<HttpMessageHandler> primary)
        => services
            .AddHttpClient(name, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(primary);

    private async Task Get(HttpClient client)
    {
        using var response = await Answered(client.GetAsync(_messagesUri)).ConfigureAwait(false);
        EnsureOk(response);
    }

    private async Task Post(HttpClient client)
    {
        using var content = new StringContent("""{"to":"+15550100","template":"welcome"}""", Json);
        using var response = await Answered(client.PostAsync(_messagesUri, content)).ConfigureAwait(false);
        EnsureOk(response);
    }

    // On AsyncStub the call has returned, waiting, through every handler: now the primary answers.
    private Task<HttpResponseMessage> Answered(Task<HttpResponseMessage> call) => _deferred is null ? call : _deferred.Answer(call);

    // Cheaper than EnsureSuccessStatusCode's message building, and fails loudly if the primary is bypassed.
    private static void EnsureOk(HttpResponseMessage response)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The primary answers 200, got {(int)response.StatusCode}.");
        }
    }
}
