using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Interactions.Resilience.Redis.Tests.TestSupport;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>
/// Redis down, killed or slow never fails a request: each instance keeps its own pauses, and coordination
/// comes back with Redis. Each test runs a redis-server of its own, since it kills it.
/// </summary>
[Collection(SerialRedis.Name)]
public sealed class RedisOutageTests
{
    private readonly string _keySpace = $"test-{Guid.NewGuid():N}:";

    [RedisFact]
    public async Task RedisKilledMidRun_RequestsOnBothInstancesStillSucceed()
    {
        using var redis = new RedisServer();
        using var a = new AppInstance(redis.ConnectionString, _keySpace);
        using var b = new AppInstance(redis.ConnectionString, _keySpace);
        (await a.Client.GetAsync("v1/messages/0")).Dispose();
        (await b.Client.GetAsync("v1/messages/0")).Dispose();
        await Task.WhenAll(a.CoordinatingAsync(), b.CoordinatingAsync());
        Assert.True(a.Coordinator.IsConnected && b.Coordinator.IsConnected, "Both instances should be connected to Redis before it is killed.");

        redis.Kill();
        var limited = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(300)); // A's pause cannot be announced: it holds locally
        var elapsed = Stopwatch.StartNew();
        var bResponses = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => b.Client.GetAsync($"v1/messages/{i}"))).WaitAsync(TimeSpan.FromSeconds(10));
        var bTook = elapsed.Elapsed;
        var aResults = await limited.WaitAsync(TimeSpan.FromSeconds(10));
        using var aNext = await a.Client.GetAsync("v1/messages/2").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(bResponses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(bTook < TimeSpan.FromSeconds(1), $"B's requests took {bTook}: they should not wait for Redis.");
        Assert.Equal((3, 0), aResults);
        Assert.Equal(HttpStatusCode.OK, aNext.StatusCode);
        Assert.Equal(1 + 6 + 1, a.Server.CallCount); // the three 030003s and their retries after the local wait
        Assert.Equal(1 + 5, b.Server.CallCount);
        await Eventually.TrueAsync(() => a.Logs.Has("RedisConnectionLost") && a.Logs.Has("RedisPublishFailed"), TimeSpan.FromSeconds(20), () => $"A to log the outage and the failed announcement (A logged: {a.Logs.EventNames})");
        Assert.True(b.Logs.Has("RedisConnectionLost"));
    }

    [RedisFact]
    public async Task RedisBack_APauseStartedDuringTheOutage_ReachesTheOtherInstance()
    {
        using var redis = new RedisServer();
        using var a = new AppInstance(redis.ConnectionString, _keySpace, o => o.HaltDuration = TimeSpan.FromSeconds(15));
        using var b = new AppInstance(redis.ConnectionString, _keySpace, o => o.HaltDuration = TimeSpan.FromSeconds(15));
        await Task.WhenAll(a.CoordinatingAsync(), b.CoordinatingAsync());

        redis.Kill();
        await Eventually.TrueAsync(() => a.Logs.Has("RedisConnectionLost") && b.Logs.Has("RedisConnectionLost"), TimeSpan.FromSeconds(20), "both instances to notice the outage");
        a.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountLocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => a.Client.GetAsync("v1/messages/1"));
        (await b.Client.GetAsync("v1/messages/1")).Dispose(); // B cannot know yet

        redis.Start();
        await b.WaitForPauseAsync(InteractionsErrorCode.AccountLocked, TimeSpan.FromSeconds(12));
        var failure = await Assert.ThrowsAsync<InteractionsGeneralException>(() => b.Client.GetAsync("v1/messages/2"));

        Assert.Equal(0, failure.Attempts);
        Assert.Equal(1, b.Server.CallCount);
        Assert.True(a.Logs.Has("RedisConnectionRestored"));
    }

    [Fact]
    public async Task RedisDownAtStart_InstanceStartsWithinTheStartupTimeout_AndRequestsSucceed()
    {
        var closedPort = ClosedLoopbackPort();
        var connectionString = $"127.0.0.1:{closedPort},connectTimeout=500";
        using var a = new AppInstance(connectionString, _keySpace, coordination: o => o.StartupTimeout = TimeSpan.FromMilliseconds(500));

        a.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromMilliseconds(200)));
        using var limited = await a.Client.GetAsync("v1/messages/1").WaitAsync(TimeSpan.FromSeconds(5));
        using var next = await a.Client.GetAsync("v1/messages/2").WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(a.StartupTook < TimeSpan.FromSeconds(2), $"Creating the first client took {a.StartupTook}.");
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(3, a.Server.CallCount);
        await a.CoordinatingAsync();
        Assert.True(a.Logs.Has("RedisConnectionLost"), $"An outage at start should be logged like any other (A logged: {a.Logs.EventNames}).");
    }

    [RedisFact]
    public async Task RedisDownAtStart_ThenUp_IsLoggedLostThenRestored_AndPausesReachTheOtherInstance()
    {
        using var redis = new RedisServer();
        redis.Kill();
        using var a = new AppInstance(redis.ConnectionString, _keySpace, coordination: o => o.StartupTimeout = TimeSpan.FromMilliseconds(500));
        using var b = new AppInstance(redis.ConnectionString, _keySpace, coordination: o => o.StartupTimeout = TimeSpan.FromMilliseconds(500));
        await Task.WhenAll(a.CoordinatingAsync(), b.CoordinatingAsync());
        Assert.True(a.Logs.Has("RedisConnectionLost") && b.Logs.Has("RedisConnectionLost"), $"Both should log the outage at start (A logged: {a.Logs.EventNames}).");

        redis.Start();
        // Back: each logs it, subscribes and reads the pauses in force (a second RedisPausesRead, after the one at start).
        await Eventually.TrueAsync(
            () => a.Logs.Has("RedisConnectionRestored") && b.Logs.Has("RedisConnectionRestored") && b.Logs.Count("RedisPausesRead") >= 2,
            TimeSpan.FromSeconds(20),
            () => $"both instances to connect once Redis is up (A logged: {a.Logs.EventNames}; B logged: {b.Logs.EventNames})");
        var aCall = a.SpendQuotaAsync(TimeSpan.FromMilliseconds(1500));
        var pause = await b.WaitForPauseAsync(InteractionsErrorCode.RateLimitExceeded, TimeSpan.FromSeconds(5));
        var bCall = b.Client.GetAsync("v1/messages/2");

        Assert.False(bCall.IsCompleted);
        Assert.Equal(0, b.Server.CallCount);
        using var bResponse = await bCall.WaitAsync(TimeSpan.FromSeconds(5));
        var aResults = await aCall.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, bResponse.StatusCode);
        Assert.Equal((3, 0), aResults);
        Assert.Equal(1, b.Server.CallCount);
        Assert.Equal(6, a.Server.CallCount); // A: the three 030003s, then each one's retry after the wait
        Assert.True(b.Server.CallTimes[0] >= pause.Until - TimeSpan.FromMilliseconds(50), $"B called its server at {b.Server.CallTimes[0]:O}, before the pause ended at {pause.Until:O}.");
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: nothing listens there
    }
}
