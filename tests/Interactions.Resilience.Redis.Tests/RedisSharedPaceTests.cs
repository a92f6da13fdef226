using System.Diagnostics;
using System.Diagnostics.Metrics;
using Interactions.Resilience.RateLimiting.Internal;
using Interactions.Resilience.Redis.Internal;
using Interactions.Resilience.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Interactions.Resilience.Redis.Tests;

/// <summary>
/// The release pace that instances share in Redis: two instances (two <see cref="RedisSharedPace"/> over two
/// connections) draw from one bucket at one rate; a decrease by one is seen by both, once per window; broken
/// state is reset and counted; Redis down or slow gives "use your own controller" quickly.
/// </summary>
[Collection(SerialRedis.Name)]
public sealed class RedisSharedPaceTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private const string Client = "sms";

    // Growth this small keeps the rate flat over a test's second, so that the spacing of slots shows the rate.
    private static readonly PaceParameters Flat = new(Beta: 0.5, Growth: 1e-6, MinRate: 0.5, MaxRate: 1000, Burst: 1, Window: TimeSpan.FromSeconds(5), Idle: TimeSpan.FromSeconds(10));

    private readonly string _prefix = $"test-{Guid.NewGuid():N}:pause:";
    private readonly ServiceProvider _telemetry = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _telemetry.Dispose();
    }

    [RedisFact]
    public async Task TwoInstances_ReservationsInterleaveAtTheSharedRate()
    {
        var a = Pace(Connect());
        var b = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat); // rate in force 20 → 10/s

        var clock = Stopwatch.StartNew();
        var slots = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            slots.Add(await SlotAsync(a, Flat, clock));
            slots.Add(await SlotAsync(b, Flat, clock));
        }

        // One bucket at 10/s for both: the 20th slot is ~2 s out, not ~1 s as with a bucket each.
        Assert.InRange(slots[^1].TotalSeconds, 1.9, 2.1);
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.InRange((slots[i] - slots[i - 1]).TotalSeconds, 0.06, 0.14); // a slot every 100 ms, whichever instance asks
        }
    }

    [RedisFact]
    public async Task DecreaseThatAPauseFollows_TheFleetsSlotsStartAWindowAfterThePausesEnd()
    {
        // Each instance sends its own share of the window after the pause at once (its grant); the shared slots follow
        // that window, and the curve starts at the pause's end, as each instance's own does.
        var parameters = Flat with { Window = TimeSpan.FromMilliseconds(500) };
        var a = Pace(Connect());
        var b = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, parameters, restartIn: TimeSpan.FromSeconds(1)); // 10/s

        var clock = Stopwatch.StartNew();
        var first = await SlotAsync(b, parameters, clock);
        var second = await SlotAsync(a, parameters, clock);

        // The pause's end (1 s), the window less one slot at 20/s (0.45 s), then one slot at 10/s (0.1 s).
        Assert.InRange(first.TotalSeconds, 1.45, 1.65);
        Assert.InRange((second - first).TotalSeconds, 0.08, 0.12);
    }

    [RedisFact]
    public async Task DecreaseWithARestartBeyondFourWindows_StartsFourWindowsAhead()
    {
        var parameters = Flat with { Window = TimeSpan.FromMilliseconds(200) };
        var a = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, parameters, restartIn: TimeSpan.FromDays(30)); // a broken pause

        var first = await SlotAsync(a, parameters, Stopwatch.StartNew());

        // 4 windows (0.8 s), the window less a slot (0.15 s), one slot at 10/s (0.1 s): not a month.
        Assert.InRange(first.TotalSeconds, 0.95, 1.15);
    }

    [RedisFact]
    public async Task DecreaseByOneInstance_SlowsThePaceBothSee_ByBeta()
    {
        var parameters = Flat with { Window = TimeSpan.FromMilliseconds(200) };
        var a = Pace(Connect());
        var b = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, parameters); // 10/s
        await Task.Delay(300); // past the window
        var before = await Spacing(b, parameters);

        await a.OnQuotaSpentAsync(Client, null, localRate: 1000, parameters); // the shared rate in force decides, not a's own

        var afterOnB = await Spacing(b, parameters);
        var afterOnA = await Spacing(a, parameters);
        Assert.InRange(before.TotalSeconds, 0.08, 0.11);
        Assert.InRange(afterOnB.TotalSeconds, 0.18, 0.21); // 5/s
        Assert.InRange(afterOnA.TotalSeconds, 0.18, 0.21);
    }

    [RedisFact]
    public async Task FirstDecrease_EveryInstanceThatReportsWithinTheWindow_AddsWhatItWasAccepted()
    {
        var a = Pace(Connect());
        var b = Pace(Connect());

        await a.OnQuotaSpentAsync(Client, null, localRate: 10, Flat);
        await b.OnQuotaSpentAsync(Client, null, localRate: 10, Flat); // the same burst of limits, seen by b: its own 10/s

        // The fleet was accepted 20/s: 0.5 × 20 = 10/s for both, not a's share (5/s), nor two decreases (2.5/s).
        Assert.InRange((await Spacing(a, Flat)).TotalSeconds, 0.08, 0.11);
        Assert.InRange((await Spacing(b, Flat)).TotalSeconds, 0.08, 0.11);
    }

    [RedisFact]
    public async Task LaterDecrease_TwoReportsWithinTheWindow_CountOnce()
    {
        var parameters = Flat with { Window = TimeSpan.FromMilliseconds(300) };
        var a = Pace(Connect());
        var b = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 40, parameters); // 20/s
        await Task.Delay(400); // past the window: the state now has a rate in force

        await a.OnQuotaSpentAsync(Client, null, localRate: 40, parameters); // 20 → 10/s
        await b.OnQuotaSpentAsync(Client, null, localRate: 40, parameters); // the same burst, seen by b too

        Assert.InRange((await Spacing(a, parameters)).TotalSeconds, 0.08, 0.11); // 10/s: neither 5/s nor b's rate added
    }

    [RedisFact]
    public async Task LimitsSeenOnePerInstance_AddUpToADecrease_ButNotWithinTheWindowOfOne()
    {
        var parameters = Flat with { Window = TimeSpan.FromMilliseconds(300) };
        var a = Pace(Connect());
        var b = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 40, parameters); // 20/s
        await b.OnLimitedAsync(Client, null, minLimits: 2, parameters); // within the decrease's window: its own limits
        await Task.Delay(400);

        await a.OnLimitedAsync(Client, null, minLimits: 2, parameters); // one limit: not yet
        var afterOne = await Spacing(b, parameters);
        await b.OnLimitedAsync(Client, null, minLimits: 2, parameters); // the fleet's second in the window: a decrease

        var afterTwo = await Spacing(a, parameters);
        Assert.InRange(afterOne.TotalSeconds, 0.045, 0.056); // still 20/s
        Assert.InRange(afterTwo.TotalSeconds, 0.09, 0.11); // 10/s
    }

    [RedisFact]
    public async Task TokensAboveThisCallersBurst_AreCapped_NotABurstNorAReset()
    {
        using var peer = Connect();
        var a = Pace(peer);
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat); // 10/s
        await peer.GetDatabase().HashSetAsync(PauseKeys.Pace(_prefix, Client, null), "tokens", "50"); // an instance with a larger burst

        Assert.InRange((await Spacing(a, Flat)).TotalSeconds, 0.08, 0.11); // one token at most, then 10/s
        Assert.Equal(0, Ignored["pace"]);
    }

    [RedisFact]
    public async Task LimitWithNoSharedState_ChangesNothing()
    {
        using var observer = Connect();
        var a = Pace(observer);

        await a.OnLimitedAsync(Client, null, minLimits: 1, Flat);

        Assert.False(await observer.GetDatabase().KeyExistsAsync(PauseKeys.Pace(_prefix, Client, null)));
    }

    [RedisFact]
    public async Task AfterADecrease_ThePaceGrowsBackToTheLastMaximum_AfterK()
    {
        // K = cbrt((1 - 0.5) / 0.4) ≈ 1.08 s: the rate is back at rmax (20/s) then, and flat around it.
        var cubic = Flat with { Growth = 0.4 };
        var a = Pace(Connect());
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, cubic);
        var right = await Spacing(a, cubic);

        await Task.Delay(TimeSpan.FromMilliseconds(1080));

        Assert.InRange(right.TotalSeconds, 0.08, 0.11); // 10/s just after the decrease
        Assert.InRange((await Spacing(a, cubic)).TotalSeconds, 0.045, 0.056); // 20/s
    }

    [RedisFact]
    public async Task NoSharedState_ReserveFallsBackToTheLocalController()
    {
        var a = Pace(Connect());

        Assert.Null(await a.ReserveAsync(Client, "+111", Flat, CancellationToken.None));
    }

    [RedisFact]
    public async Task State_ExpiresAfterIdle()
    {
        using var observer = Connect();
        var a = Pace(observer);

        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat with { Idle = TimeSpan.FromSeconds(3) });

        var ttl = await observer.GetDatabase().KeyTimeToLiveAsync(PauseKeys.Pace(_prefix, Client, null));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [RedisTheory]
    [InlineData("rate", "nan")]
    [InlineData("rate", "inf")]
    [InlineData("rate", "1e9")] // above MaxRate
    [InlineData("rate", "-3")]
    [InlineData("rmax", "banana")]
    [InlineData("tokens", "-1e12")] // a queue no fleet could have made
    [InlineData("decreasedAt", "4070908800000")] // 2099, on Redis's clock
    [InlineData("refilledAt", "")]
    [InlineData("seeded", "999")] // a peer that would add its rate to every decrease
    [InlineData("limits", "-5")]
    [InlineData("limitsAt", "4070908800000")]
    public async Task BrokenFieldInTheSharedState_IsResetAndCounted_ThenTheNextDecreaseStartsOver(string field, string value)
    {
        using var peer = Connect();
        var a = Pace(peer);
        var key = PauseKeys.Pace(_prefix, Client, null);
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);
        await peer.GetDatabase().HashSetAsync(key, field, value);

        var reserved = await a.ReserveAsync(Client, null, Flat, CancellationToken.None);

        Assert.Null(reserved);
        Assert.Equal(1, Ignored["pace"]);
        Assert.True(_logs.Has("RedisPaceReset"));
        Assert.False(await peer.GetDatabase().KeyExistsAsync(key));
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);
        Assert.InRange((await Spacing(a, Flat)).TotalSeconds, 0.08, 0.11);
    }

    [RedisFact]
    public async Task SharedStateOfAnotherType_IsResetAndCounted()
    {
        using var peer = Connect();
        var a = Pace(peer);
        var key = PauseKeys.Pace(_prefix, Client, null);
        await peer.GetDatabase().StringSetAsync(key, "not a hash");

        Assert.Null(await a.ReserveAsync(Client, null, Flat, CancellationToken.None));
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);

        Assert.Equal(1, Ignored["pace"]);
        Assert.Equal(RedisType.Hash, await peer.GetDatabase().KeyTypeAsync(key));
    }

    [RedisFact]
    public async Task PaceKeys_AreNotReadAsPauses_ByAnInstanceThatStarts()
    {
        using var peer = Connect();
        var keySpace = _prefix[..^"pause:".Length];
        await Pace(peer).OnQuotaSpentAsync(AppInstance.ClientName, null, localRate: 20, Flat);

        using var instance = new AppInstance(redis.Server.ConnectionString, keySpace);
        await instance.CoordinatingAsync();

        Assert.Empty(instance.Board.GetPausesInForce());
        Assert.Equal(0, instance.Ignored.Total);
        Assert.False(instance.Logs.Has("RedisKeyIgnored"));
    }

    [RedisFact]
    public async Task RedisKilled_ReserveAndDecreaseFallBackQuickly_AndNeverThrow_ThenResumeWhenItIsBack()
    {
        using var own = new RedisServer();
        using var connection = await ConnectionMultiplexer.ConnectAsync(own.ConnectionString + ",abortConnect=false");
        var a = Pace(connection, TimeSpan.FromMilliseconds(100));
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);
        Assert.NotNull(await a.ReserveAsync(Client, null, Flat, CancellationToken.None));

        own.Kill();
        var took = Stopwatch.StartNew();
        var reserved = new List<TimeSpan?>();
        for (var i = 0; i < 5; i++)
        {
            reserved.Add(await a.ReserveAsync(Client, null, Flat, CancellationToken.None));
        }

        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);
        var elapsed = took.Elapsed;

        Assert.All(reserved, r => Assert.Null(r));
        Assert.True(elapsed < TimeSpan.FromSeconds(1.5), $"Six calls with Redis down took {elapsed}; each should give up within 100 ms.");

        // Back, empty (the script too): the next decrease starts a shared pace again.
        own.Start();
        await Eventually.TrueAsync(() => connection.IsConnected, TimeSpan.FromSeconds(20), "the connection to come back");
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);
        Assert.InRange((await Spacing(a, Flat)).TotalSeconds, 0.08, 0.12);
    }

    [RedisFact]
    public async Task RedisSlow_ReserveFallsBackAfterThePaceTimeout()
    {
        using var own = new RedisServer();
        using var connection = await ConnectionMultiplexer.ConnectAsync(own.ConnectionString + ",abortConnect=false");
        using var blocker = await ConnectionMultiplexer.ConnectAsync(own.ConnectionString + ",abortConnect=false,syncTimeout=5000,asyncTimeout=5000");
        const string busy = "local s = redis.call('TIME') repeat local n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 1000000";
        var a = Pace(connection, TimeSpan.FromMilliseconds(100));
        await a.OnQuotaSpentAsync(Client, null, localRate: 20, Flat);

        var sleep = blocker.GetDatabase().ScriptEvaluateAsync(busy); // Redis answers nobody for a second
        await Task.Delay(50);
        var took = Stopwatch.StartNew();
        var reserved = await a.ReserveAsync(Client, null, Flat, CancellationToken.None);
        var elapsed = took.Elapsed;
        await sleep;

        Assert.Null(reserved);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromMilliseconds(600));
        Assert.True(_logs.Has("RedisPaceUnavailable"));
    }

    [RedisFact]
    public async Task WithRedisCoordination_RegistersTheSharedPace_ForCoordinatedClientsOnly()
    {
        var keySpace = _prefix[..^"pause:".Length];
        using var instance = new AppInstance(redis.Server.ConnectionString, keySpace);
        await instance.CoordinatingAsync();
        var pace = instance.Services.GetRequiredService<ISharedPace>();

        await pace.OnQuotaSpentAsync(AppInstance.ClientName, null, localRate: 20, Flat, TimeSpan.Zero);
        await pace.OnQuotaSpentAsync("not-coordinated", null, localRate: 20, Flat, TimeSpan.Zero);

        Assert.NotNull(await pace.ReserveAsync(AppInstance.ClientName, null, Flat, CancellationToken.None));
        Assert.Null(await pace.ReserveAsync("not-coordinated", null, Flat, CancellationToken.None));
        using var peer = Connect();
        Assert.False(await peer.GetDatabase().KeyExistsAsync(PauseKeys.Pace(_prefix, "not-coordinated", null)));
    }

    private IgnoredCounter Ignored => _ignored ??= Track(new IgnoredCounter(_telemetry.GetRequiredService<IMeterFactory>().Create(InteractionsTelemetryNames.MeterName)));

    private IgnoredCounter? _ignored;

    /// <summary>
    /// The mean spacing of five consecutive slots: 1 / the shared rate, whatever the round trips took (a reply
    /// that a busy machine delivers late moves one slot, not the mean of four gaps).
    /// </summary>
    private static async Task<TimeSpan> Spacing(RedisSharedPace pace, PaceParameters parameters)
    {
        var clock = Stopwatch.StartNew();
        var first = await SlotAsync(pace, parameters, clock);
        var last = first;
        for (var i = 0; i < 4; i++)
        {
            last = await SlotAsync(pace, parameters, clock);
        }

        return (last - first) / 4;
    }

    /// <summary>When the reserved slot is, on <paramref name="clock"/>: the answer's arrival plus its delay.</summary>
    private static async Task<TimeSpan> SlotAsync(RedisSharedPace pace, PaceParameters parameters, Stopwatch clock)
    {
        var delay = await pace.ReserveAsync(Client, null, parameters, CancellationToken.None);
        return clock.Elapsed + (delay ?? throw new InvalidOperationException("The shared pace fell back."));
    }

    private ConnectionMultiplexer Connect() => Track(ConnectionMultiplexer.Connect(redis.Server.ConnectionString));

    private RedisSharedPace Pace(IConnectionMultiplexer connection, TimeSpan? timeout = null)
    {
        _ = Ignored; // listening before anything is counted
        return new RedisSharedPace(
            () => connection,
            _prefix,
            timeout ?? TimeSpan.FromSeconds(2), // loose: a busy machine must not turn a slow answer into a fallback here
            TimeProvider.System,
            _logs.CreateLogger("Interactions.Resilience.Redis"),
            new RedisCoordinationMetrics(_telemetry),
            static _ => true);
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
