using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>Two app instances share one vendor account through Redis: a rate limit met by one pauses the other.</summary>
internal sealed class TwoInstancesScenario : IScenario
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public string Name => "two-instances";

    public string Summary => "Redis: a 030003 on instance A pauses instance B too (needs redis-server or INTERACTIONS_REDIS).";

    public string Description =>
        "Two instances of the app, each its own ServiceProvider with AddHttpClient<MessagesClient>().AddInteractionsResilience(…)"
        + ".WithRedisCoordination(connection), share one Redis (INTERACTIONS_REDIS, or a redis-server from PATH that the scenario starts "
        + "on a free loopback port and stops). The server answers instance A's send 030003 Rate Limit Exceeded with Retry-After: 1. "
        + "A announces the pause through Redis; instance B, which has met no limit, holds its send until the pause ends instead of "
        + "calling the server during it. Without Redis the scenario is skipped, not failed; the default run includes it only when "
        + "Redis is available.";

    public async Task RunAsync(ScenarioContext context)
    {
        using var redis = await DemoRedis.StartAsync(CancellationToken.None);
        if (redis is null)
        {
            context.Skip(DemoRedis.InstallHint + ".");
            return;
        }

        context.Note($"Redis: {redis.Source}.");

        // A channel and key prefix of this run only, so that a shared Redis carries no pause of another run.
        var run = Guid.NewGuid().ToString("N")[..8];
        void Coordinate(IHttpClientBuilder client) => client.WithRedisCoordination(redis.ConnectionString, o =>
        {
            o.Channel = $"interactions:demo:{run}:pauses";
            o.KeyPrefix = $"interactions:demo:{run}:pause:";
        });

        context.Status("starting two instances, each connecting to Redis…");
        using var instanceA = new ScenarioClient(context.Simulator.BaseAddress, _ => { }, configureClient: Coordinate);
        using var instanceB = new ScenarioClient(context.Simulator.BaseAddress, _ => { }, configureClient: Coordinate);
        var appA = instanceA.App(); // creating the first client waits (StartupTimeout) for Redis
        var appB = instanceB.App();
        context.Simulator.FailNext(1, InteractionsErrorCode.RateLimitExceeded, retryAfter: RetryAfter);

        context.Status("instance A meets the rate limit…");
        var sendA = context.SendWithAsync(appA, "instance A", "+15550100", "Your order has shipped.");

        // Wait until the pause has reached B through Redis (pub/sub: usually a millisecond or two).
        var boardB = instanceB.Services.GetRequiredService<InteractionsPauseBoard>();
        while (boardB.GetPausesInForce().Count == 0 && context.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(5);
        }

        if (boardB.GetPausesInForce() is [var pause, ..])
        {
            context.Note($"Instance B received the pause at +{context.Elapsed.TotalSeconds:0.00} s: {pause}.");
        }

        context.Status("instance B sends during A's pause…");
        var sendB = context.SendWithAsync(appB, "instance B", "+15550101", "Your code is 1234.");
        await Task.WhenAll(sendA, sendB);
    }

    public IEnumerable<string?> Check(ScenarioResult result)
    {
        yield return Expect.Requests(result, 3);
        yield return result.RateLimitedCount == 1 ? null : $"expected one 030003; the server answered {result.RateLimitedCount}";
        yield return Expect.Success(result.Call("instance A"));
        yield return Expect.Success(result.Call("instance B"));
        if (result.Requests.Count == 3)
        {
            // B's only request came after A's 030003 by at least the Retry-After.
            var limited = result.Requests[0].ReceivedAt;
            var early = result.Requests.Skip(1).Where(r => r.ReceivedAt - limited < RetryAfter - TimeSpan.FromMilliseconds(50)).ToList();
            yield return early.Count == 0
                ? null
                : $"expected no request during the pause; {early.Count} came {string.Join(", ", early.Select(r => Format.Duration(r.ReceivedAt - limited)))} after the 030003";
        }
    }
}
