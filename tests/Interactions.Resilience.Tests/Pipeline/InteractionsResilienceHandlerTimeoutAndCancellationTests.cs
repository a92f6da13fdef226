using System.Net;
using Interactions.Resilience.Tests.TestSupport;
using Polly.Timeout;

namespace Interactions.Resilience.Tests.Pipeline;

[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerTimeoutAndCancellationTests
{
    [Fact]
    public async Task SendAsync_AttemptTimesOut_RetriesLike060002_ThenSucceeds()
    {
        using var harness = new HandlerHarness();
        harness.Server.ThenHang();

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"), step: TimeSpan.FromMilliseconds(250));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(31), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task SendAsync_EveryAttemptTimesOut_Throws060002WithTimeoutInside()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.Retry.MaxRetryAttempts = 2;
        });
        harness.Server.ThenHang(times: 3);

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"), step: TimeSpan.FromMilliseconds(250));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(3, ex.Attempts);
        Assert.Equal(3, harness.Server.CallCount);
        Assert.IsType<TimeoutRejectedException>(ex.InnerException);
        AssertWait.Equal(TimeSpan.FromSeconds(5 + 1 + 5 + 2 + 5), harness.Elapsed, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutEndsRetries_Throws060002()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
            o.TotalTimeout = TimeSpan.FromSeconds(30);
        });
        harness.Server.ThenHang(times: 5);

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"), step: TimeSpan.FromMilliseconds(250));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(30), harness.Elapsed, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task SendAsync_BackoffLongerThanTimeLeft_FailsFastWithRetryAfter()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503, TimeSpan.FromSeconds(20)));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(1, harness.Server.CallCount);
        Assert.Equal(TimeSpan.FromSeconds(20), ex.RetryAfter);
        Assert.Equal(TimeSpan.Zero, harness.Elapsed);
    }

    [Fact]
    public async Task SendAsync_TransportFailureEveryTime_Throws060002WithCauseAfterRetries()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, ex.Code);
        Assert.Equal(InteractionsErrorSource.Transport, ex.Error.Source);
        Assert.Equal(4, ex.Attempts);
        Assert.Null(ex.StatusCode);
        var inner = Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, inner.HttpRequestError);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringBackoff_StopsAtOnceWithoutRetry()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));
        using var cts = new CancellationTokenSource();

        var call = harness.Client.GetAsync("v1/messages/1", cts.Token);
        harness.Time.Advance(TimeSpan.FromMilliseconds(500)); // inside the 1 s backoff
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, harness.Server.CallCount);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringRateLimitWait_StopsAtOnce()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(30)));
        using var cts = new CancellationTokenSource();

        var call = harness.Client.GetAsync("v1/messages/1", cts.Token);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringAttempt_IsNotRetriedOrWrapped()
    {
        using var harness = new HandlerHarness();
        harness.Server.ThenHang();
        using var cts = new CancellationTokenSource();

        var call = harness.Client.GetAsync("v1/messages/1", cts.Token);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotAssignableFrom<InteractionsException>(ex);
        Assert.Equal(1, harness.Server.CallCount);
    }
}
