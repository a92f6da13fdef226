using System.Net;
using System.Text.Json;
using Interactions.Resilience.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>
/// Two (or three) instances of the app, each its own service provider, share one redis-server: a pause that
/// one of them starts pauses the others.
/// </summary>
[Collection(SerialRedis.Name)]
public sealed class RedisCoordinationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(50);

    // Each test has its own channel and keys, so the tests of the class share the server without meeting.
    private readonly string _keySpace = $"test-{Guid.NewGuid():N}:";

    [RedisFact]
    public async Task RateLimitOnA_PausesB_BsRequestWaitsWithoutCallingItsServer()
    {
        using var a = Instance();
        using var b = Instance(multiplexerFromServices: true);
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(1500));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        var bCall = b.Client.GetAsync("v1/messages/2");
        await DelayUntil(pause.Until - TimeSpan.FromMilliseconds(300));

        Assert.Equal(AppInstance.ClientName, pause.ClientName);
        Assert.False(bCall.IsCompleted);
        Assert.Equal(0, b.Server.CallCount);

        using var bResponse = await bCall.WaitAsync(TimeSpan.FromSeconds(5));
        var aResults = await aCall.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, bResponse.StatusCode);
        Assert.Equal((3, 0), aResults);
        Assert.Equal(1, b.Server.CallCount);
        Assert.True(b.Server.CallTimes[0] >= pause.Until - Tolerance, $"B called its server at {b.Server.CallTimes[0]:O}, before the pause ended at {pause.Until:O}.");
        Assert.Equal(6, a.Server.CallCount); // A: the three 030003s, then each one's retry after the wait
        Assert.True(b.Logs.Has("RemotePauseApplied"));
        Assert.False(a.Logs.Has("RemotePauseApplied"));
    }

    [RedisFact]
    public async Task ScopedRateLimitOnA_PausesOnlyThatScopeOnB()
    {
        using var a = Instance(o => o.RateLimit.ScopeSelector = SenderOf);
        using var b = Instance(o => o.RateLimit.ScopeSelector = SenderOf);
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(1000), status: 400, () => FromSender("+111"));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded, scope: "+111");
        using var other = await b.Client.SendAsync(FromSender("+222")).WaitAsync(TimeSpan.FromMilliseconds(500));
        var same = b.Client.SendAsync(FromSender("+111"));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.False(same.IsCompleted);
        Assert.Equal(1, b.Server.CallCount);
        (await same.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal((3, 0), await aCall.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(b.Server.CallTimes[1] >= pause.Until - Tolerance);
    }

    [RedisFact]
    public async Task HaltOnA_FailsBLocally_WithAttemptsZero_UntilTheHaltEnds()
    {
        using var a = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(2));
        using var b = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(2));
        a.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));

        var aFailure = await Assert.ThrowsAsync<InteractionsGeneralException>(() => a.Client.GetAsync("v1/messages/1"));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.TemporarilyBlocked);
        var bFailure = await Assert.ThrowsAsync<InteractionsGeneralException>(() => b.Client.GetAsync("v1/messages/2"));

        Assert.Equal(1, aFailure.Attempts);
        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, bFailure.Code);
        Assert.Equal(0, bFailure.Attempts);
        Assert.True(bFailure.RetryAfter > TimeSpan.FromSeconds(1), $"RetryAfter was {bFailure.RetryAfter}.");
        Assert.Equal(0, b.Server.CallCount);

        await DelayUntil(pause.Until + Tolerance);
        using var after = await b.Client.GetAsync("v1/messages/3");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, b.Server.CallCount);
    }

    [RedisFact]
    public async Task LateJoiner_StartedDuringARateLimit_HonoursThePauseInForce()
    {
        using var a = Instance();
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(2000));
        await Eventually.TrueAsync(() => a.Logs.Has("RedisPausePublished"), TimeSpan.FromSeconds(2), "A to announce its pause");

        using var c = Instance(); // created after the pause: reads it from its key
        var pause = Assert.Single(c.Board.GetPausesInForce());
        var cCall = c.Client.GetAsync("v1/messages/2");
        await DelayUntil(pause.Until - TimeSpan.FromMilliseconds(300));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, pause.Code);
        Assert.False(cCall.IsCompleted);
        Assert.Equal(0, c.Server.CallCount);
        (await cCall.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        await aCall.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(c.Server.CallTimes[0] >= pause.Until - Tolerance);
    }

    [RedisFact]
    public async Task LateJoiner_StartedDuringAHalt_FailsLocally()
    {
        using var a = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(2));
        a.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountLocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => a.Client.GetAsync("v1/messages/1"));
        await Eventually.TrueAsync(() => a.Logs.Has("RedisPausePublished"), TimeSpan.FromSeconds(2), "A to announce its halt");

        using var c = Instance();
        var failure = await Assert.ThrowsAsync<InteractionsGeneralException>(() => c.Client.GetAsync("v1/messages/2"));

        Assert.Equal(InteractionsErrorCode.AccountLocked, failure.Code);
        Assert.Equal(0, failure.Attempts);
        Assert.Equal(0, c.Server.CallCount);
    }

    [RedisFact]
    public async Task Pause_IsPublishedAsJson_AndKeptInAKeyThatExpiresWithIt()
    {
        using var observer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await observer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_keySpace + "pauses"), (_, message) => received.TrySetResult(message!));
        using var a = Instance();
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(1500));
        using var message = JsonDocument.Parse(await received.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        var key = _keySpace + "pause:sms:*:030003";
        var ttl = await observer.GetDatabase().KeyTimeToLiveAsync(key);

        var root = message.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal(a.Coordinator.InstanceId, root.GetProperty("instance").GetString());
        Assert.Equal("sms", root.GetProperty("client").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("scope").ValueKind);
        Assert.Equal("030003", root.GetProperty("code").GetString());
        var until = DateTimeOffset.Parse(root.GetProperty("until").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500));
        Assert.Equal((string?)await observer.GetDatabase().StringGetAsync(key), message.RootElement.GetRawText());
        await aCall.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [RedisFact]
    public async Task MessageWithThisInstancesId_IsIgnored_OthersApplyIt()
    {
        using var a = Instance();
        using var b = Instance();
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var pause = new InteractionsPause(AppInstance.ClientName, null, InteractionsErrorCode.RateLimitExceeded, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(_keySpace + "pauses"), Internal.PauseMessage.Write(a.Coordinator.InstanceId, pause));

        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        await Task.Delay(100); // A got the message as B did
        Assert.Empty(a.Board.GetPausesInForce());
    }

    [RedisFact]
    public async Task MalformedMessage_IsIgnored_AndTheNextPauseStillArrives()
    {
        using var a = Instance();
        using var b = Instance();
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

        await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(_keySpace + "pauses"), "{not json");
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(500));

        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        Assert.True(b.Logs.Has("RedisMessageIgnored"));
        await aCall.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// An instance that coordinates already (connected, subscribed, pauses read), so that what a test sends
    /// reaches it even on a machine too busy to connect within the startup timeout.
    /// </summary>
    private AppInstance Instance(Action<InteractionsResilienceOptions>? configure = null, bool multiplexerFromServices = false)
    {
        var instance = new AppInstance(redis.Server.ConnectionString, _keySpace, configure, multiplexerFromServices);
        instance.CoordinatingAsync().GetAwaiter().GetResult();
        return instance;
    }

    private static async Task DelayUntil(DateTimeOffset moment)
    {
        var left = moment - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    private static string? SenderOf(HttpRequestMessage request)
        => request.Headers.TryGetValues("X-Sender", out var values) ? values.First() : null;

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }
}
