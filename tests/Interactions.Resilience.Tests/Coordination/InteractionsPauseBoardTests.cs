using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Tests.Coordination;

/// <summary>
/// The board that shares pauses between instances: which answers start a pause and how long it lasts, and
/// what a pause from another instance does to this one.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsPauseBoardTests
{
    private const string Client = "interactions";
    private static readonly DateTimeOffset Start = HandlerHarness.Start;

    private readonly List<InteractionsPause> _started = [];

    // ---- pauses this instance starts ----

    [Fact]
    public async Task RateLimit_WithRetryAfter_StartsAClientPauseUntilNowPlusRetryAfter()
    {
        using var harness = Harness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(2)), times: 3);

        await SpendQuotaAsync(harness, () => harness.Client.GetAsync("v1/messages/1"));

        var pause = Assert.Single(_started);
        Assert.Equal(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2)), pause);
    }

    [Fact]
    public async Task RateLimit_WithoutRetryAfter_PausesForRateLimitDefaultDelay()
    {
        using var harness = Harness(o => o.RateLimit.DefaultDelay = TimeSpan.FromMilliseconds(1500));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400), times: 3);

        await SpendQuotaAsync(harness, () => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(Start + TimeSpan.FromMilliseconds(1500), Assert.Single(_started).Until);
    }

    [Fact]
    public async Task RateLimit_WithScopeSelector_PausesTheRequestsScope()
    {
        using var harness = Harness(o => o.RateLimit.ScopeSelector = SenderOf);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);

        await SpendQuotaAsync(harness, () => harness.Client.SendAsync(FromSender("+111")));

        var pause = Assert.Single(_started);
        Assert.Equal("+111", pause.Scope);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), pause.Until);
    }

    [Fact]
    public async Task RateLimit_BurstOfConcurrentAnswers_IsAnnouncedOnce()
    {
        using var harness = Harness();
        var release = new TaskCompletionSource();
        var answered = 0;
        harness.Server.Default = async (_, _) =>
        {
            await release.Task;
            return Interlocked.Increment(ref answered) <= 10
                ? StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1))
                : StubServer.Ok();
        };

        var calls = Enumerable.Range(0, 10).Select(i => harness.Client.GetAsync($"v1/messages/{i}")).ToArray();
        release.SetResult(); // ten 030003 answers to requests in flight together
        var responses = await harness.RunAsync(Task.WhenAll(calls));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(_started);
    }

    [Fact]
    public async Task RateLimit_AfterThePauseEnded_IsAnnouncedAgain()
    {
        using var harness = Harness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);
        await SpendQuotaAsync(harness, () => harness.Client.GetAsync("v1/messages/1"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));

        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);
        await SpendQuotaAsync(harness, () => harness.Client.GetAsync("v1/messages/2"));

        Assert.Equal(2, _started.Count);
        Assert.True(_started[1].Until >= _started[0].Until + TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(InteractionsErrorCode.TemporarilyBlocked)]
    [InlineData(InteractionsErrorCode.AccountLocked)]
    [InlineData(InteractionsErrorCode.AccountInactive)]
    public async Task Halt_StartsAClientPauseForHaltDuration(InteractionsErrorCode code)
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        harness.Server.Then(() => StubServer.Error(code, 403));

        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(new InteractionsPause(Client, null, code, Start + TimeSpan.FromSeconds(45)), Assert.Single(_started));
    }

    [Fact]
    public async Task Halt_ScopedClient_IsStillClientWide()
    {
        using var harness = Harness(o => o.RateLimit.ScopeSelector = SenderOf);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountLocked, 403));

        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.SendAsync(FromSender("+111")));

        Assert.Null(Assert.Single(_started).Scope);
    }

    [Fact]
    public async Task PinCooldown_020008_StartsAPauseOfTheScopeForTheCooldown()
    {
        using var harness = Harness(o =>
        {
            o.PinCooldown = TimeSpan.FromSeconds(2);
            o.RateLimit.ScopeSelector = SenderOf;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TwoStepPinGuessedTooFast, 400));

        (await harness.RunAsync(harness.Client.SendAsync(FromSender("+111")))).Dispose();

        Assert.Equal(new InteractionsPause(Client, "+111", InteractionsErrorCode.TwoStepPinGuessedTooFast, Start + TimeSpan.FromSeconds(2)), Assert.Single(_started));
        Assert.Equal(2, harness.Server.CallCount); // locally, only the request itself waited, then retried once
    }

    [Fact]
    public async Task PinCooldown_RetryAfter_ReplacesTheCooldown()
    {
        using var harness = Harness(o => o.PinCooldown = TimeSpan.FromSeconds(30));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TwoStepPinGuessedTooFast, 400, TimeSpan.FromSeconds(3)));

        (await harness.RunAsync(harness.Client.GetAsync("v1/pin"))).Dispose();

        Assert.Equal(Start + TimeSpan.FromSeconds(3), Assert.Single(_started).Until);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.TemplateIsPaused, 400)]      // FailFast
    [InlineData(InteractionsErrorCode.ServiceUnavailable, 503)]    // Retry
    [InlineData(InteractionsErrorCode.WaitBeforeRegistering, 400)] // Cooldown, but not a PIN cooldown
    public async Task OtherCodes_StartNoPause(InteractionsErrorCode code, int status)
    {
        using var harness = Harness(o => o.Retry.MaxRetryAttempts = 0);
        harness.Server.Then(() => StubServer.Error(code, status));

        await harness.RunAndCatchAsync<InteractionsException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Empty(_started);
        Assert.Empty(Board(harness).GetPausesInForce());
    }

    [Fact]
    public async Task Successes_StartNoPause()
    {
        using var harness = Harness();

        for (var i = 0; i < 50; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        Assert.Empty(_started);
        Assert.Empty(Board(harness).GetPausesInForce());
    }

    [Fact]
    public async Task PauseStartedHandler_Throws_RequestStillCompletes_AndTheFailureIsLogged()
    {
        var logs = new CapturingLoggerProvider();
        using var harness = new HandlerHarness(
            services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)),
            beforeClient: sp => sp.GetRequiredService<InteractionsPauseBoard>().PauseStarted += (_, _) => throw new InvalidOperationException("coordinator down"));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);

        await SpendQuotaAsync(harness, () => harness.Client.GetAsync("v1/messages/1")); // every request still succeeds

        var log = Assert.Single(logs.Logs, l => l.EventId.Name == "PauseListenerFailed");
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.IsType<InvalidOperationException>(log.Exception);
    }

    // ---- pauses from other instances ----

    [Fact]
    public async Task ApplyRemote_RateLimit_RequestWaitsUntilThePauseEnds_WithoutCallingTheServer()
    {
        using var harness = Harness();
        var until = Start + TimeSpan.FromSeconds(2);

        Assert.True(Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, until)));
        var call = harness.Client.GetAsync("v1/messages/1");
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1900));

        Assert.False(call.IsCompleted);
        Assert.Equal(0, harness.Server.CallCount);
        using var response = await harness.RunAsync(call);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(harness.Server.Calls[0].At >= until);
    }

    [Fact]
    public async Task ApplyRemote_DoesNotRaisePauseStarted()
    {
        using var harness = Harness();

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(1)));
        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.AccountLocked, Start + TimeSpan.FromSeconds(1)));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Empty(_started);
    }

    [Fact]
    public async Task ApplyRemote_LocalRateLimitWithinThePause_IsNotAnnouncedBack()
    {
        using var harness = Harness();
        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2)));

        // The server's own answer ends the same pause, within the coalescing margin: nothing to tell the others.
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        var until = Start + TimeSpan.FromSeconds(2);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, until - harness.Time.GetUtcNow()));
        var call = harness.Client.GetAsync("v1/messages/1");
        (await harness.RunAsync(call)).Dispose();

        Assert.Empty(_started);
    }

    [Fact]
    public async Task ApplyRemote_Halt_FailsRequestsLocallyWithAttemptsZero_UntilThePauseEnds()
    {
        using var harness = Harness();
        var until = Start + TimeSpan.FromSeconds(5);

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.TemporarilyBlocked, until));
        var ex = await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, ex.Code);
        Assert.Equal(0, ex.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
        Assert.Equal(0, harness.Server.CallCount);

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        using var response = await harness.Client.GetAsync("v1/messages/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApplyRemote_CodeWhosePolicyHereIsHalt_Halts()
    {
        using var harness = Harness(o => o.Policies["031006"] = InteractionsPolicy.Halt);

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.TemplateIsPaused, Start + TimeSpan.FromSeconds(5)));

        var ex = await Assert.ThrowsAsync<InteractionsTemplateException>(() => harness.Client.GetAsync("v1/messages/1"));
        Assert.Equal(0, ex.Attempts);
    }

    [Fact]
    public async Task ApplyRemote_Scoped_PausesOnlyThatScope()
    {
        using var harness = Harness(o => o.RateLimit.ScopeSelector = SenderOf);

        Board(harness).ApplyRemote(new InteractionsPause(Client, "+111", InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2)));
        var paused = harness.Client.SendAsync(FromSender("+111"));
        var other = harness.Client.SendAsync(FromSender("+222"));

        Assert.True(other.IsCompletedSuccessfully);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(paused.IsCompleted);
        Assert.Equal(1, harness.Server.CallCount);
        (await harness.RunAsync(paused)).Dispose();
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task ApplyRemote_PinCooldown_PausesTheScope()
    {
        using var harness = Harness(o => o.RateLimit.ScopeSelector = SenderOf);

        Board(harness).ApplyRemote(new InteractionsPause(Client, "+111", InteractionsErrorCode.TwoStepPinGuessedTooFast, Start + TimeSpan.FromSeconds(3)));
        var call = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2.5));

        Assert.False(call.IsCompleted);
        (await harness.RunAsync(call)).Dispose();
        Assert.True(harness.Server.Calls[0].At >= Start + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ApplyRemote_BeforeTheClientIsCreated_TheClientStartsPaused()
    {
        InteractionsPause halt = new(Client, null, InteractionsErrorCode.AccountLocked, Start + TimeSpan.FromSeconds(5));
        using var harness = new HandlerHarness(beforeClient: sp => Assert.True(sp.GetRequiredService<InteractionsPauseBoard>().ApplyRemote(halt)));

        var ex = await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(InteractionsErrorCode.AccountLocked, ex.Code);
        Assert.Equal(0, ex.Attempts);
    }

    [Fact]
    public async Task ApplyRemote_RateLimitBeforeTheClientIsCreated_FirstRequestWaits()
    {
        InteractionsPause wait = new(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2));
        using var harness = new HandlerHarness(beforeClient: sp => sp.GetRequiredService<InteractionsPauseBoard>().ApplyRemote(wait));

        (await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"))).Dispose();

        Assert.True(harness.Server.Calls[0].At >= wait.Until);
    }

    [Fact]
    public void ApplyRemote_EndedOrAlreadyCovered_ReturnsFalse()
    {
        using var harness = Harness();
        var board = Board(harness);

        Assert.False(board.ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start)));
        Assert.True(board.ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2))));
        Assert.False(board.ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(1))));
        Assert.True(board.ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public async Task GetPausesInForce_HoldsLocalAndRemotePauses_UntilTheyEnd()
    {
        using var harness = Harness();
        var remote = new InteractionsPause("other-client", null, InteractionsErrorCode.AccountLocked, Start + TimeSpan.FromSeconds(10));
        Board(harness).ApplyRemote(remote);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);
        var calls = Enumerable.Range(0, 3).Select(_ => harness.Client.GetAsync("v1/messages/1")).ToArray();
        Assert.Equal(2, Board(harness).GetPausesInForce().Count);

        foreach (var response in await harness.RunAsync(Task.WhenAll(calls)))
        {
            response.Dispose();
        }
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(remote, Assert.Single(Board(harness).GetPausesInForce()));
    }

    [Fact]
    public void Board_IsOneSingletonPerServiceProvider()
    {
        using var harness = Harness();

        Assert.Same(Board(harness), harness.Services.GetRequiredService<InteractionsPauseBoard>());
    }

    [Fact]
    public void Pause_CodeNotInTheCatalog_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new InteractionsPause(Client, null, (InteractionsErrorCode)12345, Start));

    [Fact]
    public void Pause_ToString_NamesClientScopeUntilAndCode()
        => Assert.Equal(
            "sms/+111 paused until 2026-11-28T12:00:02.0000000+00:00 (030003)",
            new InteractionsPause("sms", "+111", InteractionsErrorCode.RateLimitExceeded, Start + TimeSpan.FromSeconds(2)).ToString());

    [Fact]
    public async Task RateLimit_LoneAnswer_IsNotAnnounced_AndPausesNobodyHere()
    {
        using var harness = Harness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)));

        var limited = harness.Client.GetAsync("v1/messages/1");
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        using var other = await harness.Client.GetAsync("v1/messages/2"); // not paused here

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Empty(_started); // one recipient's limit is not the account's quota: other instances keep sending
        (await harness.RunAsync(limited)).Dispose();
        Assert.Empty(_started);
    }

    /// <summary>Three requests in flight together, all answered 030003: the last second's evidence says the quota is spent.</summary>
    private static async Task SpendQuotaAsync(HandlerHarness harness, Func<Task<HttpResponseMessage>> send)
    {
        var calls = Enumerable.Range(0, 3).Select(_ => send()).ToArray();
        foreach (var response in await harness.RunAsync(Task.WhenAll(calls)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    private HandlerHarness Harness(Action<InteractionsResilienceOptions>? configure = null)
        => new(configure, beforeClient: sp => sp.GetRequiredService<InteractionsPauseBoard>().PauseStarted += (_, p) =>
        {
            lock (_started)
            {
                _started.Add(p);
            }
        });

    private static InteractionsPauseBoard Board(HandlerHarness harness) => harness.Services.GetRequiredService<InteractionsPauseBoard>();

    private static string? SenderOf(HttpRequestMessage request)
        => request.Headers.TryGetValues("X-Sender", out var values) ? values.First() : null;

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }
}
