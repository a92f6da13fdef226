using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.CircuitBreaker;

/// <summary>The circuit breaker over the Retry codes, through the handler.</summary>
[Collection(SerialFakeTime.Name)]
public class CircuitBreakerTests
{
    [Fact]
    public async Task CircuitBreaker_OpensAfterHalfOfTwentyFail_FailsLocally_ThenTrialCloses()
    {
        using var harness = new HandlerHarness(o => o.Retry.MaxRetryAttempts = 0);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServerOverloaded, 503));

        for (var i = 0; i < 20; i++)
        {
            await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
        }

        var open = await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/1"));
        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, open.Code);
        Assert.Equal(0, open.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(5), open.RetryAfter);
        Assert.Equal(InteractionsErrorSource.Local, open.Error.Source);
        Assert.Contains("circuit is open", open.Message);
        Assert.Equal(20, harness.Server.CallCount);

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Ok());
        (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        Assert.Equal(22, harness.Server.CallCount);
    }

    [Fact]
    public async Task CircuitBreaker_FailedTrial_OpensAgain()
    {
        using var harness = new HandlerHarness(o => o.Retry.MaxRetryAttempts = 0);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.InternalServerError, 500));
        for (var i = 0; i < 20; i++)
        {
            await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
        }

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
        var open = await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(0, open.Attempts);
        Assert.Equal(21, harness.Server.CallCount);
    }

    [Fact]
    public async Task CircuitBreaker_SeesFastPathSuccesses_AndStaysClosedBelowHalf()
    {
        using var harness = new HandlerHarness(o => o.Retry.MaxRetryAttempts = 0);
        for (var i = 0; i < 30; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));
        for (var i = 0; i < 25; i++)
        {
            var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
            Assert.Equal(1, ex.Attempts); // 25 of 55 failed: still closed
        }

        Assert.Equal(55, harness.Server.CallCount);
    }

    [Fact]
    public async Task CircuitBreaker_ServerRetryAfterLongerThanBreak_KeepsItOpenThatLong()
    {
        using var harness = new HandlerHarness(o => o.Retry.MaxRetryAttempts = 0);
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503, TimeSpan.FromSeconds(20)));
        for (var i = 0; i < 20; i++)
        {
            await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
        }

        var open = await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(TimeSpan.FromSeconds(20), open.RetryAfter);
    }

    [Fact]
    public async Task CircuitBreaker_PerAuthority_OpensOnlyTheFailingHost()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.PerAuthority = true;
        });
        harness.Server.Default = (request, _) => Task.FromResult(request.RequestUri!.Host == "down.example"
            ? StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503)
            : StubServer.Ok());
        for (var i = 0; i < 20; i++)
        {
            await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("https://down.example/v1/messages/1"));
        }

        var open = await Assert.ThrowsAsync<InteractionsServerException>(() => harness.Client.GetAsync("https://down.example/v1/messages/1"));
        using var other = await harness.Client.GetAsync("https://up.example/v1/messages/1");

        Assert.Equal(0, open.Attempts);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
