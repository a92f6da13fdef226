using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Tests.Coordination;

/// <summary>
/// A pause from another instance stops this one at most as long as it would stop itself for the same answer,
/// measured on this instance's clock; a code that does not pause here is ignored.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsPauseBoardRemoteBoundsTests
{
    private const string Client = "interactions";
    private static readonly DateTimeOffset Start = HandlerHarness.Start;
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ApplyRemote_HaltUntil2099_HaltsForHaltDurationOnly()
    {
        using var harness = new HandlerHarness(o => o.HaltDuration = TimeSpan.FromSeconds(2));

        Assert.True(Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.TemporarilyBlocked, Year2099)));
        var halted = await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        using var after = await harness.RunAsync(harness.Client.GetAsync("v1/messages/2"));

        Assert.Equal(0, halted.Attempts);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.Equal(Start + TimeSpan.FromSeconds(2), harness.Server.Calls[0].At);
    }

    [Fact]
    public async Task ApplyRemote_BoundedPause_IsWhatGetPausesInForceReports()
    {
        using var harness = new HandlerHarness(o => o.HaltDuration = TimeSpan.FromSeconds(2));

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.AccountLocked, Year2099));

        Assert.Equal(Start + TimeSpan.FromSeconds(2), Assert.Single(Board(harness).GetPausesInForce()).Until);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(Board(harness).GetPausesInForce());
    }

    [Fact]
    public async Task ApplyRemote_SameAnnouncementRepeated_DoesNotExtendThePause()
    {
        using var harness = new HandlerHarness(o => o.HaltDuration = TimeSpan.FromSeconds(2));
        var halt = new InteractionsPause(Client, null, InteractionsErrorCode.TemporarilyBlocked, Year2099);
        Board(harness).ApplyRemote(halt);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.False(Board(harness).ApplyRemote(halt));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        using var after = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ApplyRemote_RateLimitUntil2099_PausesForMaxWaitOnly()
    {
        using var harness = new HandlerHarness(o => o.MaxWait = TimeSpan.FromSeconds(3));

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.RateLimitExceeded, Year2099));
        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"), limit: TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(harness.Server.Calls[0].At, Start + TimeSpan.FromSeconds(3), Start + TimeSpan.FromSeconds(3.1));
    }

    [Fact]
    public async Task ApplyRemote_PinCooldownUntil2099_PausesForMaxWaitOnly()
    {
        using var harness = new HandlerHarness(o => o.MaxWait = TimeSpan.FromSeconds(3));

        Board(harness).ApplyRemote(new InteractionsPause(Client, null, InteractionsErrorCode.TwoStepPinGuessedTooFast, Year2099));

        Assert.Equal(Start + TimeSpan.FromSeconds(3), Assert.Single(Board(harness).GetPausesInForce()).Until);
        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"), limit: TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.TemplateIsPaused)]
    [InlineData(InteractionsErrorCode.InternalServerError)]
    [InlineData(InteractionsErrorCode.WaitBeforeRegistering)]
    public async Task ApplyRemote_CodeThatDoesNotPauseHere_IsIgnored(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness();

        Assert.False(Board(harness).ApplyRemote(new InteractionsPause(Client, null, code, Year2099)));
        using var response = await harness.Client.GetAsync("v1/messages/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Start, harness.Server.Calls[0].At);
        Assert.Empty(Board(harness).GetPausesInForce());
    }

    [Fact]
    public async Task ApplyRemote_HaltUntil2099BeforeTheClientIsCreated_IsBoundedWhenTheClientStarts()
    {
        var halt = new InteractionsPause(Client, null, InteractionsErrorCode.AccountLocked, Year2099);
        using var harness = new HandlerHarness(o => o.HaltDuration = TimeSpan.FromSeconds(2), beforeClient: sp => sp.GetRequiredService<InteractionsPauseBoard>().ApplyRemote(halt));

        Assert.Equal(Start + TimeSpan.FromSeconds(2), Assert.Single(Board(harness).GetPausesInForce()).Until);
        await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.GetAsync("v1/messages/1"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        using var after = await harness.RunAsync(harness.Client.GetAsync("v1/messages/2"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ApplyRemote_FailFastCodeBeforeTheClientIsCreated_IsIgnoredWhenTheClientStarts()
    {
        var pause = new InteractionsPause(Client, null, InteractionsErrorCode.TemplateIsPaused, Year2099);
        using var harness = new HandlerHarness(beforeClient: sp => sp.GetRequiredService<InteractionsPauseBoard>().ApplyRemote(pause));

        using var response = await harness.Client.GetAsync("v1/messages/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Board(harness).GetPausesInForce());
    }

    private static InteractionsPauseBoard Board(HandlerHarness harness) => harness.Services.GetRequiredService<InteractionsPauseBoard>();
}
