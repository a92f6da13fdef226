using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Tests.Operations;

/// <summary>
/// The pauses in force, as an operator lists and lifts them: what is listed for each kind of pause, with
/// which code and time left, and what a lift lets through.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsPausesTests
{
    private static async Task SpendQuotaAsync(Func<Task<HttpResponseMessage>> send)
    {
        var calls = Enumerable.Range(0, 3).Select(_ => send()).ToArray();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<InteractionsRateLimitException>(() => call);
        }
    }

    private const string Client = "interactions";

    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public void GetPausesInForce_NothingFailed_IsEmpty()
    {
        using var harness = Harness();

        Assert.Empty(Pauses(harness).GetPausesInForce());
    }

    [Fact]
    public async Task GetPausesInForce_Halt_ListsTheHaltWithItsCodeAndTimeLeft()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var pause = Assert.Single(Pauses(harness).GetPausesInForce());

        Assert.Equal(Client, pause.ClientName);
        Assert.Equal(InteractionsPauseKind.Halt, pause.Kind);
        Assert.Null(pause.Scope);
        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, pause.Code);
        Assert.Equal("010002", pause.Error.FormattedCode);
        Assert.Equal("Temporarily Blocked", pause.Error.Title);
        Assert.Equal(TimeSpan.FromSeconds(40), pause.TimeLeft);
    }

    [Fact]
    public async Task GetPausesInForce_RateLimitLongerThanMaxWait_ListsThePauseOfItsScope()
    {
        using var harness = Harness(o =>
        {
            o.MaxWait = TimeSpan.FromSeconds(10);
            o.RateLimit.ScopeSelector = SenderOf;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(120)), times: 3);
        await Quota.SpendAsync(() => harness.Client.SendAsync(FromSender("+111")));

        var pause = Assert.Single(Pauses(harness).GetPausesInForce());

        Assert.Equal(InteractionsPauseKind.RateLimitPause, pause.Kind);
        Assert.Equal("+111", pause.Scope);
        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, pause.Code);
        Assert.Equal(TimeSpan.FromSeconds(120), pause.TimeLeft);
    }

    [Fact]
    public async Task GetPausesInForce_AfterARateLimitPauseEnds_ListsPacedUntilTheGateGoesQuiet()
    {
        using var harness = Harness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)), times: 3);
        var calls = Enumerable.Range(0, 3).Select(_ => harness.Client.GetAsync("v1/messages/1")).ToArray();
        foreach (var response in await harness.RunAsync(Task.WhenAll(calls)))
        {
            response.Dispose();
        }

        var paced = Assert.Single(Pauses(harness).GetPausesInForce());
        Assert.Equal(InteractionsPauseKind.Paced, paced.Kind);
        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, paced.Code);
        Assert.Null(paced.TimeLeft);

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(Pauses(harness).GetPausesInForce());
    }

    [Fact]
    public async Task GetPausesInForce_OpenCircuit_ListsItWith060002AndTheBreakLeft()
    {
        using var harness = Harness(OpensAfterTwoFailures);
        await FailTwiceAsync(harness);

        var pause = Assert.Single(Pauses(harness).GetPausesInForce());

        Assert.Equal(InteractionsPauseKind.CircuitOpen, pause.Kind);
        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, pause.Code);
        Assert.Equal(TimeSpan.FromSeconds(5), pause.TimeLeft);
    }

    [Fact]
    public async Task Lift_Halt_TheNextRequestReachesTheServer()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountLocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));
        var halted = await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/2"));
        Assert.Equal(0, halted.Attempts);

        var lifted = Assert.Single(Pauses(harness).Lift(Client, InteractionsPauseKind.Halt));
        using var response = await harness.Client.GetAsync("v1/messages/3");

        Assert.Equal(InteractionsErrorCode.AccountLocked, lifted.Code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
        Assert.Empty(Pauses(harness).GetPausesInForce());
    }

    [Fact]
    public async Task Lift_Halt_IsLoggedAtInformationWithTheCodeAndWithoutTheScope()
    {
        using var harness = Harness(o =>
        {
            o.HaltDuration = TimeSpan.FromSeconds(45);
            o.RateLimit.ScopeSelector = SenderOf;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.AccountInactive, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.SendAsync(FromSender("+15550199")));

        Pauses(harness).LiftAll();

        var log = Assert.Single(_logs.Logs, l => l.EventId.Name == "PauseLifted");
        Assert.Equal(LogLevel.Information, log.Level);
        Assert.Equal(40, log.EventId.Id);
        Assert.Contains("010006 Account Inactive", log.Message, StringComparison.Ordinal);
        Assert.Contains("client interactions", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Logs, l => l.Message.Contains("+15550199", StringComparison.Ordinal));
    }

    [Fact]
    public void Lift_NothingInForce_LogsThatNothingWasLifted()
    {
        using var harness = Harness();
        _ = harness.Client;

        Assert.Empty(Pauses(harness).Lift(Client));

        var log = Assert.Single(_logs.Logs, l => l.EventId.Name == "NothingToLift");
        Assert.Equal(LogLevel.Information, log.Level);
    }

    [Fact]
    public async Task Lift_OneScope_LiftsThatScopeAndKeepsTheOthersPaused()
    {
        using var harness = Harness(o =>
        {
            o.MaxWait = TimeSpan.FromSeconds(10);
            o.RateLimit.ScopeSelector = SenderOf;
        });
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(60)), times: 6);
        await Quota.SpendAsync(() => harness.Client.SendAsync(FromSender("+111")));
        await Quota.SpendAsync(() => harness.Client.SendAsync(FromSender("+222")));

        Pauses(harness).Lift(Client, InteractionsPauseKind.RateLimitPause, "+111");
        using var freed = await harness.Client.SendAsync(FromSender("+111"));
        var stillPaused = await Assert.ThrowsAsync<InteractionsRateLimitException>(() => harness.Client.SendAsync(FromSender("+222")));

        Assert.Equal(HttpStatusCode.OK, freed.StatusCode);
        Assert.Equal(7, harness.Server.CallCount); // the six limits, then +111; +222 failed locally
        Assert.True(stillPaused.RetryAfter > TimeSpan.FromSeconds(50), $"RetryAfter was {stillPaused.RetryAfter}.");
        Assert.Equal("+222", Assert.Single(Pauses(harness).GetPausesInForce()).Scope);
    }

    [Fact]
    public async Task Lift_OtherKind_LeavesTheHaltInForce()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Empty(Pauses(harness).Lift(Client, InteractionsPauseKind.RateLimitPause));

        Assert.Equal(InteractionsPauseKind.Halt, Assert.Single(Pauses(harness).GetPausesInForce()).Kind);
    }

    [Fact]
    public async Task Lift_OpenCircuit_ClosesItAndTheNextRequestReachesTheServer()
    {
        using var harness = Harness(OpensAfterTwoFailures);
        await FailTwiceAsync(harness);
        var open = await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/3"));
        Assert.Equal(0, open.Attempts);

        Assert.Single(Pauses(harness).Lift(Client, InteractionsPauseKind.CircuitOpen));
        using var response = await harness.Client.GetAsync("v1/messages/4");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Server.CallCount);
    }

    [Fact]
    public async Task LiftAll_TellsCoordinatorsWhichSharedPausesItEnded_AndTheNextHaltIsAnnouncedAgain()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        var board = harness.Services.GetRequiredService<InteractionsPauseBoard>();
        var lifts = new List<InteractionsPauseLift>();
        var started = new List<InteractionsPause>();
        board.PausesLifted += (_, lift) => lifts.Add(lift);
        board.PauseStarted += (_, pause) => started.Add(pause);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403), times: 2);
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        Pauses(harness).LiftAll();
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/2"));

        var lift = Assert.Single(lifts);
        Assert.Equal(Client, lift.ClientName);
        Assert.Null(lift.Kind);
        Assert.Equal(InteractionsErrorCode.TemporarilyBlocked, Assert.Single(lift.Pauses).Code);
        Assert.Equal(2, started.Count);
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public void LiftAll_BeforeTheClientIsCreated_StillTellsTheCoordinators()
    {
        var lifts = new List<InteractionsPauseLift>();
        IReadOnlyList<InteractionsPauseInfo>? lifted = null;
        using var harness = new HandlerHarness(beforeClient: services =>
        {
            services.GetRequiredService<InteractionsPauseBoard>().PausesLifted += (_, lift) => lifts.Add(lift);
            lifted = services.GetRequiredService<InteractionsPauses>().LiftAll(); // the harness creates its client after this
        });

        Assert.Empty(lifted!);
        Assert.Equal(Client, Assert.Single(lifts).ClientName);
    }

    [Fact]
    public async Task ApplyRemoteLift_LiftsHereWithoutTellingTheCoordinators()
    {
        using var harness = Harness(o => o.HaltDuration = TimeSpan.FromSeconds(45));
        var board = harness.Services.GetRequiredService<InteractionsPauseBoard>();
        var lifts = 0;
        board.PausesLifted += (_, _) => lifts++;
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TemporarilyBlocked, 403));
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));

        var count = board.ApplyRemoteLift(new InteractionsPauseLift(Client, InteractionsPauseKind.Halt, scope: null));
        using var response = await harness.Client.GetAsync("v1/messages/2");

        Assert.Equal(1, count);
        Assert.Equal(0, lifts);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(board.GetPausesInForce());
        Assert.Equal(LogLevel.Information, Assert.Single(_logs.Logs, l => l.EventId.Name == "RemoteLiftApplied").Level);
    }

    [Fact]
    public void GetPausesInForce_RemotePauseOfAClientNotCreatedYet_IsListed()
    {
        using var harness = Harness();
        var board = harness.Services.GetRequiredService<InteractionsPauseBoard>();
        board.ApplyRemote(new InteractionsPause("other", null, InteractionsErrorCode.AccountLocked, harness.Time.GetUtcNow() + TimeSpan.FromSeconds(30)));

        var pause = Assert.Single(Pauses(harness).GetPausesInForce());
        Assert.Equal(("other", InteractionsPauseKind.Halt, TimeSpan.FromSeconds(30)), (pause.ClientName, pause.Kind, pause.TimeLeft!.Value));

        Assert.Single(Pauses(harness).LiftAll());
        Assert.Empty(board.GetPausesInForce());
    }

    private static void OpensAfterTwoFailures(InteractionsResilienceOptions o)
    {
        o.Retry.MaxRetryAttempts = 0;
        o.CircuitBreaker.MinimumThroughput = 2;
    }

    private static async Task FailTwiceAsync(HandlerHarness harness)
    {
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.InternalServerError, 500), times: 2);
        await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/1"));
        await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/2"));
    }

    private static InteractionsPauses Pauses(HandlerHarness harness) => harness.Services.GetRequiredService<InteractionsPauses>();

    private HandlerHarness Harness(Action<InteractionsResilienceOptions>? configure = null)
        => new(configure, services => services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)));

    private static string? SenderOf(HttpRequestMessage request)
        => request.Headers.TryGetValues("X-Sender", out var values) ? values.First() : null;

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }
}
