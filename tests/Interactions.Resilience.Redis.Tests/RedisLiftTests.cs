using System.Net;
using Interactions.Resilience.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>
/// Two instances share one redis-server: an operator lifting a pause on one instance lifts it on both, and
/// the pause stored in Redis goes with it, so that an instance started later does not pick it up.
/// </summary>
[Collection(SerialRedis.Name)]
public sealed class RedisLiftTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly string _keySpace = $"test-{Guid.NewGuid():N}:";

    [RedisFact]
    public async Task LiftOnA_OfAHaltAStarted_LiftsItOnBoth_AndDeletesTheStoredPause()
    {
        using var a = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(30));
        using var b = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(30));
        a.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => a.Client.GetAsync("v1/messages/1"));
        await b.WaitForPauseAsync(InteractionsErrorCode.TemporarilyBlocked);
        await Eventually.TrueAsync(() => a.Logs.Has("RedisPausePublished"), TimeSpan.FromSeconds(2), "A to store its halt");
        var halted = await Assert.ThrowsAsync<InteractionsGeneralException>(() => b.Client.GetAsync("v1/messages/2"));
        Assert.Equal(0, halted.Attempts);
        Assert.Equal(1, StoredPauses());

        var lifted = Pauses(a).LiftAll();

        Assert.Equal(InteractionsPauseKind.Halt, Assert.Single(lifted).Kind);
        await Eventually.TrueAsync(() => Pauses(b).GetPausesInForce().Count == 0, TimeSpan.FromSeconds(2), () => $"B's halt to be lifted; B has {string.Join(", ", Pauses(b).GetPausesInForce())}");
        using var bAfter = await b.Client.GetAsync("v1/messages/3");
        using var aAfter = await a.Client.GetAsync("v1/messages/4");
        Assert.Equal(HttpStatusCode.OK, bAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aAfter.StatusCode);
        Assert.Equal(1, b.Server.CallCount);
        Assert.Equal(2, a.Server.CallCount);
        Assert.Empty(b.Board.GetPausesInForce());
        Assert.True(b.Logs.Has("RemoteLiftApplied"), b.Logs.EventNames);
        await Eventually.TrueAsync(() => StoredPauses() == 0, TimeSpan.FromSeconds(2), "the stored halt to be deleted");

        using var c = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(30)); // started after the lift: reads no halt
        Assert.Empty(c.Board.GetPausesInForce());
        using var cCall = await c.Client.GetAsync("v1/messages/5");
        Assert.Equal(HttpStatusCode.OK, cCall.StatusCode);
    }

    [RedisFact]
    public async Task LiftOnB_OfARateLimitPauseAStarted_FreesA_AndANewLimitIsAnnouncedAgain()
    {
        using var a = Instance(o => o.MaxWait = TimeSpan.FromSeconds(5));
        using var b = Instance(o => o.MaxWait = TimeSpan.FromSeconds(5));
        Assert.Equal((0, 3), await a.SpendQuotaAsync(TimeSpan.FromSeconds(60))); // each would wait past MaxWait
        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        await Eventually.TrueAsync(() => StoredPauses() == 1, TimeSpan.FromSeconds(2), "A to store its pause");

        var lifted = Pauses(b).Lift(AppInstance.ClientName, InteractionsPauseKind.RateLimitPause);

        Assert.InRange(Assert.Single(lifted).TimeLeft!.Value, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)); // B bounds what A announced (60 s) to its MaxWait
        await Eventually.TrueAsync(() => Pauses(a).GetPausesInForce().Count == 0, TimeSpan.FromSeconds(2), "A's pause to be lifted");
        using var aAfter = await a.Client.GetAsync("v1/messages/2");
        Assert.Equal(HttpStatusCode.OK, aAfter.StatusCode);
        Assert.Equal(4, a.Server.CallCount);
        await Eventually.TrueAsync(() => StoredPauses() == 0, TimeSpan.FromSeconds(2), "the stored pause to be deleted");
        Assert.Equal(0, StoredPaces()); // and the shared release pace with it

        // A forgot the lifted pause: the next limit is a new pause, announced and applied on B.
        Assert.Equal((0, 3), await a.SpendQuotaAsync(TimeSpan.FromSeconds(60)));
        await Eventually.TrueAsync(() => Pauses(b).GetPausesInForce().Count == 1, TimeSpan.FromSeconds(2), "the new pause on B");
    }

    [RedisFact]
    public async Task LiftOnA_OfOneScope_LiftsThatScopeOnB_AndKeepsTheOther()
    {
        using var a = Instance(Scoped);
        using var b = Instance(Scoped);
        Assert.Equal((0, 3), await a.SpendQuotaAsync(TimeSpan.FromSeconds(60), status: 400, () => FromSender("+111")));
        Assert.Equal((0, 3), await a.SpendQuotaAsync(TimeSpan.FromSeconds(60), status: 400, () => FromSender("+222")));
        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded, scope: "+111");
        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded, scope: "+222");

        Pauses(a).Lift(AppInstance.ClientName, InteractionsPauseKind.RateLimitPause, "+111");

        await Eventually.TrueAsync(() => Pauses(b).GetPausesInForce().Count == 1, TimeSpan.FromSeconds(2), "B to lift +111");
        Assert.Equal("+222", Assert.Single(Pauses(b).GetPausesInForce()).Scope);
        using var freed = await b.Client.SendAsync(FromSender("+111"));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var held = b.Client.SendAsync(FromSender("+222"), giveUp.Token); // still paused (bounded to MaxWait here)
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        Assert.Equal(HttpStatusCode.OK, freed.StatusCode);
        Assert.Equal(1, b.Server.CallCount);
    }

    private static void Scoped(InteractionsResilienceOptions o)
    {
        o.MaxWait = TimeSpan.FromSeconds(5);
        o.RateLimit.ScopeSelector = static r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null;
    }

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }

    private static InteractionsPauses Pauses(AppInstance instance) => instance.Services.GetRequiredService<InteractionsPauses>();

    private int StoredPauses()
    {
        using var connection = ConnectionMultiplexer.Connect(redis.Server.ConnectionString);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        return server.Keys(pattern: _keySpace + "pause:*").Count(k => !k.ToString().StartsWith(_keySpace + "pause:pace/", StringComparison.Ordinal));
    }

    private int StoredPaces()
    {
        using var connection = ConnectionMultiplexer.Connect(redis.Server.ConnectionString);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        return server.Keys(pattern: _keySpace + "pause:pace/*").Count();
    }

    private AppInstance Instance(Action<InteractionsResilienceOptions>? configure = null)
    {
        var instance = new AppInstance(redis.Server.ConnectionString, _keySpace, configure);
        instance.CoordinatingAsync().GetAwaiter().GetResult();
        return instance;
    }
}
