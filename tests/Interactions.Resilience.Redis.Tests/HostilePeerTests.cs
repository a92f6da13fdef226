using System.Diagnostics;
using System.Net;
using System.Text;
using Interactions.Resilience.Redis.Internal;
using Interactions.Resilience.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>
/// A peer (or a broken instance, or one whose clock runs ahead) that writes to the documented channel and keys
/// cannot stop an instance longer than the instance would stop itself for the same answer, and what it sends
/// that is not a pause is ignored and counted. Short HaltDuration and MaxWait keep the tests quick.
/// </summary>
[Collection(SerialRedis.Name)]
public sealed class HostilePeerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(50);
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _keySpace = $"test-{Guid.NewGuid():N}:";

    private RedisChannel Channel => RedisChannel.Literal(_keySpace + "pauses");

    [RedisFact]
    public async Task HaltUntil2099OnTheChannel_HaltsForHaltDurationOnly()
    {
        using var b = Instance(o => o.HaltDuration = Short);
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var sent = DateTimeOffset.UtcNow;

        await peer.GetSubscriber().PublishAsync(Channel, Message(InteractionsErrorCode.TemporarilyBlocked, Year2099));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.TemporarilyBlocked);
        var halted = await Assert.ThrowsAsync<InteractionsGeneralException>(() => b.Client.GetAsync("v1/messages/1"));

        Assert.Equal(0, halted.Attempts);
        Assert.InRange(halted.RetryAfter!.Value, TimeSpan.Zero, Short);
        Assert.InRange(pause.Until - sent, Short - Tolerance, Short + TimeSpan.FromSeconds(1));
        await DelayUntil(pause.Until + Tolerance);
        using var after = await b.Client.GetAsync("v1/messages/2");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, b.Server.CallCount);
    }

    [RedisFact]
    public async Task HaltUntil2099RepeatedOnTheChannel_DoesNotExtendTheHalt()
    {
        using var b = Instance(o => o.HaltDuration = TimeSpan.FromSeconds(2));
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var message = Message(InteractionsErrorCode.TemporarilyBlocked, Year2099);
        await peer.GetSubscriber().PublishAsync(Channel, message);
        var first = await b.WaitForPauseAsync(InteractionsErrorCode.TemporarilyBlocked);

        await Task.Delay(RedisPauseCoordinator.RepeatWindow + TimeSpan.FromMilliseconds(200)); // heard again, not taken for a double delivery
        await peer.GetSubscriber().PublishAsync(Channel, message); // the same announcement again
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.Equal(first, Assert.Single(b.Board.GetPausesInForce()));
        await DelayUntil(first.Until + Tolerance);
        using var after = await b.Client.GetAsync("v1/messages/1");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [RedisFact]
    public async Task RateLimitUntil2099OnTheChannel_WaitsAtMostMaxWait_ThenSends()
    {
        using var b = Instance(o => o.MaxWait = Short);
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var sent = DateTimeOffset.UtcNow;

        await peer.GetSubscriber().PublishAsync(Channel, Message(InteractionsErrorCode.RateLimitExceeded, Year2099));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        var waited = Stopwatch.StartNew();
        using var response = await b.Client.GetAsync("v1/messages/1").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(pause.Until - sent, Short - Tolerance, Short + TimeSpan.FromSeconds(1));
        Assert.True(waited.Elapsed <= Short + TimeSpan.FromSeconds(1), $"The request waited {waited.Elapsed}; MaxWait is {Short}.");
        Assert.Equal(1, b.Server.CallCount);
        Assert.True(b.Server.CallTimes[0] >= pause.Until - Tolerance, "The request should honour the bounded pause.");
    }

    [RedisTheory]
    [InlineData(InteractionsErrorCode.TemplateIsPaused)] // FailFast here
    [InlineData(InteractionsErrorCode.InternalServerError)] // Retry here
    public async Task CodeThatDoesNotPauseHere_PublishedAsAPause_IsIgnoredAndCounted(InteractionsErrorCode code)
    {
        using var b = Instance();
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

        await peer.GetSubscriber().PublishAsync(Channel, Message(code, Year2099));
        await Eventually.TrueAsync(() => b.Logs.Has("RemotePauseIgnored"), TimeSpan.FromSeconds(2), "B to ignore the pause");
        var elapsed = Stopwatch.StartNew();
        using var response = await b.Client.GetAsync("v1/messages/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(elapsed.Elapsed < TimeSpan.FromMilliseconds(500), $"The request took {elapsed.Elapsed}.");
        Assert.Empty(b.Board.GetPausesInForce());
        Assert.Equal(1, b.Ignored["policy"]);
    }

    [RedisFact]
    public async Task OnePublishDeliveredTwice_IsIgnoredAndCountedOnce()
    {
        using var b = Instance();
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var message = Message(InteractionsErrorCode.TemplateIsPaused, Year2099);

        await peer.GetSubscriber().PublishAsync(Channel, message);
        await peer.GetSubscriber().PublishAsync(Channel, message); // as a command resent after a reconnection arrives
        await Eventually.TrueAsync(() => b.Logs.Has("RemotePauseIgnored"), TimeSpan.FromSeconds(2), "B to ignore the pause");
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, b.Ignored["policy"]);
        Assert.Equal(1, b.Logs.Count("RemotePauseIgnored"));
    }

    [RedisFact]
    public async Task HaltKeyLeftUntil2099_ReadAtStart_HaltsForHaltDurationOnly()
    {
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var halt = new InteractionsPause(AppInstance.ClientName, null, InteractionsErrorCode.AccountLocked, Year2099);
        await peer.GetDatabase().StringSetAsync(PauseKeys.For(_keySpace + "pause:", halt), PauseMessage.Write("peer", halt)); // no expiry at all
        var started = DateTimeOffset.UtcNow;

        using var c = Instance(o => o.HaltDuration = Short);
        var failure = await Assert.ThrowsAsync<InteractionsGeneralException>(() => c.Client.GetAsync("v1/messages/1"));
        var pause = Assert.Single(c.Board.GetPausesInForce());

        Assert.Equal(InteractionsErrorCode.AccountLocked, failure.Code);
        Assert.Equal(0, failure.Attempts);
        Assert.InRange(pause.Until - started, TimeSpan.Zero, Short + TimeSpan.FromSeconds(2));
        await DelayUntil(pause.Until + Tolerance);
        using var after = await c.Client.GetAsync("v1/messages/2");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, c.Server.CallCount);
    }

    [RedisFact]
    public async Task RateLimitKeyLeftUntil2099_ReadAtStart_WaitsAtMostMaxWait()
    {
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var wait = new InteractionsPause(AppInstance.ClientName, null, InteractionsErrorCode.RateLimitExceeded, Year2099);
        await peer.GetDatabase().StringSetAsync(PauseKeys.For(_keySpace + "pause:", wait), PauseMessage.Write("peer", wait));

        using var c = Instance(o => o.MaxWait = Short);
        var pause = Assert.Single(c.Board.GetPausesInForce());
        var elapsed = Stopwatch.StartNew();
        using var response = await c.Client.GetAsync("v1/messages/1").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(pause.Until <= DateTimeOffset.UtcNow + Short, $"The pause read at start ends at {pause.Until:O}: it should be bounded by MaxWait.");
        Assert.True(elapsed.Elapsed <= Short + TimeSpan.FromSeconds(1), $"The request waited {elapsed.Elapsed}; MaxWait is {Short}.");
        Assert.Equal(1, c.Server.CallCount);
    }

    [RedisFact]
    public async Task MalformedOversizedAndUnknownVersionMessages_AreIgnoredAndCounted_AndAPauseStillArrives()
    {
        using var b = Instance();
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var subscriber = peer.GetSubscriber();
        var ok = Encoding.UTF8.GetString(Message(InteractionsErrorCode.RateLimitExceeded, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1)));

        await subscriber.PublishAsync(Channel, "{not json");
        await subscriber.PublishAsync(Channel, """{"v":"1","instance":"peer","client":"sms","scope":null,"code":"030003","until":"2099-01-01T00:00:00.0000000+00:00"}""");
        await subscriber.PublishAsync(Channel, ok.Replace("\"scope\":null", "\"scope\":\"" + new string('x', 5000) + "\"", StringComparison.Ordinal));
        await subscriber.PublishAsync(Channel, ok.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal));
        await subscriber.PublishAsync(Channel, ok);

        await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded);
        await Eventually.TrueAsync(() => b.Ignored.Total == 4, TimeSpan.FromSeconds(2), () => $"4 messages counted as ignored, not {b.Ignored.Total} (malformed {b.Ignored[PauseMessage.Malformed]}, oversized {b.Ignored[PauseMessage.Oversized]}, version {b.Ignored[PauseMessage.UnknownVersion]}; logged {b.Logs.EventNames})");
        Assert.Equal(2, b.Ignored[PauseMessage.Malformed]);
        Assert.Equal(1, b.Ignored[PauseMessage.Oversized]);
        Assert.Equal(1, b.Ignored[PauseMessage.UnknownVersion]);
        var warnings = b.Logs.Logs.Where(l => l.EventId.Name == "RedisMessageIgnored").ToList();
        Assert.Equal(4, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, w.Level));
        Assert.All(warnings, w => Assert.DoesNotContain("xxxx", w.Message, StringComparison.Ordinal)); // the reason, never the payload
    }

    [RedisFact]
    public async Task KeysThatAreNotPauses_AreIgnoredAndCountedAtStart_AndTheOthersAreRead()
    {
        using var peer = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var database = peer.GetDatabase();
        var prefix = _keySpace + "pause:";
        var good = new InteractionsPause(AppInstance.ClientName, "+111", InteractionsErrorCode.RateLimitExceeded, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));
        var goodJson = Encoding.UTF8.GetString(PauseMessage.Write("peer", good));
        await database.HashSetAsync(prefix + "sms:*:010002", "until", "2099"); // not a string
        await database.StringSetAsync(prefix + "sms:*:030003", new string('x', 100_000)); // oversized
        await database.StringSetAsync(prefix + "sms:%2B222:030003", goodJson.Replace("\"v\":1", "\"v\":9", StringComparison.Ordinal)); // another version
        await database.StringSetAsync(prefix + "sms:*:010003", goodJson); // a pause kept under another pause's key
        await database.StringSetAsync(PauseKeys.For(prefix, good), goodJson, TimeSpan.FromSeconds(5));

        using var c = Instance();

        Assert.Equal(good, Assert.Single(c.Board.GetPausesInForce()));
        Assert.Equal(2, c.Ignored[PauseMessage.Malformed]);
        Assert.Equal(1, c.Ignored[PauseMessage.Oversized]);
        Assert.Equal(1, c.Ignored[PauseMessage.UnknownVersion]);
        Assert.Equal(4, c.Logs.Count("RedisKeyIgnored"));
    }

    private static byte[] Message(InteractionsErrorCode code, DateTimeOffset until)
        => PauseMessage.Write("peer", new InteractionsPause(AppInstance.ClientName, null, code, until));

    private AppInstance Instance(Action<InteractionsResilienceOptions>? configure = null)
    {
        var instance = new AppInstance(redis.Server.ConnectionString, _keySpace, configure);
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
}
