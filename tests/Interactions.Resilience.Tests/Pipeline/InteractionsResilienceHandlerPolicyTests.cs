using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>What an app sees for each of the 38 codes with the default options.</summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerPolicyTests
{
    public static TheoryData<InteractionsErrorCode> FailFastCodes()
    {
        var data = new TheoryData<InteractionsErrorCode>();
        foreach (var entry in InteractionsErrorCatalog.All.Where(e => e.DefaultPolicy == InteractionsPolicy.FailFast))
        {
            data.Add(entry.Code);
        }

        return data;
    }

    public static TheoryData<InteractionsErrorCode> RetryCodes()
    {
        var data = new TheoryData<InteractionsErrorCode>();
        foreach (var entry in InteractionsErrorCatalog.All.Where(e => e.DefaultPolicy == InteractionsPolicy.Retry))
        {
            data.Add(entry.Code);
        }

        return data;
    }

    public static TheoryData<InteractionsErrorCode> HaltCodes() => new()
    {
        InteractionsErrorCode.TemporarilyBlocked,
        InteractionsErrorCode.AccountLocked,
        InteractionsErrorCode.AccountInactive,
    };

    [Theory]
    [MemberData(nameof(FailFastCodes))]
    public async Task SendAsync_FailFastCode_ThrowsTypedExceptionAfterOneCall(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(code));

        var ex = await harness.RunAndCatchAsync<InteractionsException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(code, ex.Code);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.Equal(TimeSpan.Zero, harness.Elapsed);
        Assert.Equal(ExpectedExceptionType(code), ex.GetType());
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(new Uri("https://api.example/v1/messages/1"), ex.RequestUri);
        Assert.Equal("server: " + InteractionsErrorCatalog.Get(code).Title, ex.ServerMessage);
    }

    [Theory]
    [MemberData(nameof(RetryCodes))]
    public async Task SendAsync_RetryCode_RetriesThreeTimesWithExponentialBackoff_ThenThrows(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(code, 500));

        var ex = await harness.RunAndCatchAsync<InteractionsException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(code, ex.Code);
        Assert.Equal(ExpectedExceptionType(code), ex.GetType());
        Assert.Equal(4, ex.Attempts);
        Assert.Equal(4, harness.Server.CallCount);
        var calls = harness.Server.Calls;
        AssertWait.Equal(TimeSpan.FromSeconds(1), calls[1].At - calls[0].At, TimeSpan.FromMilliseconds(60));
        AssertWait.Equal(TimeSpan.FromSeconds(2), calls[2].At - calls[1].At, TimeSpan.FromMilliseconds(60));
        AssertWait.Equal(TimeSpan.FromSeconds(4), calls[3].At - calls[2].At, TimeSpan.FromMilliseconds(60));
    }

    [Theory]
    [MemberData(nameof(RetryCodes))]
    public async Task SendAsync_RetryCodeThenSuccess_ReturnsTheSuccess(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(code, 503), times: 2);

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":"msg_1"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, harness.Server.CallCount);
        Assert.All(harness.Server.Sent.Take(2), r => Assert.Throws<ObjectDisposedException>(() => r.Content.ReadAsStream()));
    }

    [Fact]
    public async Task SendAsync_RateLimitWithoutRetryAfter_WaitsDefaultDelayFiveTimes_ThenThrowsRateLimitException()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400));

        var ex = await harness.RunAndCatchAsync<InteractionsRateLimitException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, ex.Code);
        Assert.Equal(6, ex.Attempts);
        Assert.Equal(6, harness.Server.CallCount);
        var calls = harness.Server.Calls;
        for (var i = 1; i < calls.Count; i++)
        {
            AssertWait.Equal(TimeSpan.FromSeconds(1), calls[i].At - calls[i - 1].At, TimeSpan.FromMilliseconds(60));
        }
    }

    [Fact]
    public async Task SendAsync_RateLimitIn400BodyWithRetryAfter_WaitsRetryAfter_ThenSucceeds()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(3)));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/messages", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(3), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(60));
    }

    [Fact]
    public async Task SendAsync_PinGuessedTooFast_WaitsPinCooldown_ThenRetriesOnce()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TwoStepPinGuessedTooFast, 429));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.PostAsync("v1/account/verify", new StringContent("{}")), step: TimeSpan.FromMilliseconds(500));

        Assert.Equal(InteractionsErrorCode.TwoStepPinGuessedTooFast, ex.Code);
        Assert.Equal(2, harness.Server.CallCount);
        AssertWait.Equal(TimeSpan.FromSeconds(30), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public async Task SendAsync_PinGuessedTooFastOnce_SucceedsAfterCooldown()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.TwoStepPinGuessedTooFast, 400));

        using var response = await harness.RunAsync(harness.Client.PostAsync("v1/account/verify", new StringContent("{}")), step: TimeSpan.FromMilliseconds(500));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
        Assert.InRange(harness.Elapsed, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task SendAsync_WaitBeforeRegistering_FailsFastWithFiveMinuteRetryAfter()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.WaitBeforeRegistering, 400));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.PostAsync("v1/account/register", new StringContent("{}")));

        Assert.Equal(InteractionsErrorCode.WaitBeforeRegistering, ex.Code);
        Assert.Equal(TimeSpan.FromMinutes(5), ex.RetryAfter);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.Equal(TimeSpan.Zero, harness.Elapsed);
    }

    [Theory]
    [MemberData(nameof(HaltCodes))]
    public async Task SendAsync_HaltCode_FailsFast_ThenFailsLocallyForHaltDuration_ThenCallsAgain(InteractionsErrorCode code)
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(code, 403));

        var first = await harness.RunAndCatchAsync<InteractionsGeneralException>(harness.Client.GetAsync("v1/messages/1"));
        Assert.Equal(code, first.Code);
        Assert.Equal(1, first.Attempts);

        harness.Time.Advance(TimeSpan.FromSeconds(59));
        var local = await Assert.ThrowsAsync<InteractionsGeneralException>(() => harness.Client.PostAsync("v1/messages", new StringContent("{}")));
        Assert.Equal(code, local.Code);
        Assert.Equal(0, local.Attempts);
        Assert.Equal(InteractionsErrorSource.Local, local.Error.Source);
        Assert.Equal(TimeSpan.FromSeconds(1), local.RetryAfter);
        Assert.Equal(1, harness.Server.CallCount);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await harness.Client.GetAsync("v1/messages/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondMaxWait_FailsFastWithRetryAfter()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503, TimeSpan.FromSeconds(120)));

        var ex = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.Equal(TimeSpan.Zero, harness.Elapsed);
    }

    [Fact]
    public async Task SendAsync_RateLimitRetryAfterBeyondMaxWait_FailsFast_AndOnceTheQuotaIsSpentLaterRequestsFailLocally()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(90)), times: 3);

        var calls = Enumerable.Range(0, 3).Select(i => harness.Client.GetAsync($"v1/messages/{i}")).ToArray();
        foreach (var call in calls)
        {
            var ex = await harness.RunAndCatchAsync<InteractionsRateLimitException>(call);
            Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
            Assert.Equal(1, ex.Attempts);
        }

        // Three limits and nothing accepted: the quota is spent, and the pause is longer than MaxWait.
        var local = await harness.RunAndCatchAsync<InteractionsRateLimitException>(harness.Client.GetAsync("v1/messages/4"));
        Assert.Equal(0, local.Attempts);
        Assert.InRange(local.RetryAfter!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90));
        Assert.Equal(3, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_RetryAfterOnServerError_ReplacesComputedDelay()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.ServerOverloaded, 503, TimeSpan.FromSeconds(7)));

        using var response = await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertWait.Equal(TimeSpan.FromSeconds(7), harness.Server.Calls[1].At - harness.Server.Calls[0].At, TimeSpan.FromMilliseconds(60));
    }

    [Fact]
    public async Task SendAsync_Success_PassesResponseUntouched_WithoutReadingBody()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ThrowingContent() });

        using var response = await harness.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/messages/1"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.IsType<ThrowingContent>(response.Content);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public void AddInteractionsResilience_SetsHttpClientTimeoutInfinite()
    {
        using var harness = new HandlerHarness();

        Assert.Equal(Timeout.InfiniteTimeSpan, harness.Client.Timeout);
    }

    internal static Type ExpectedExceptionType(InteractionsErrorCode code) => code == InteractionsErrorCode.RateLimitExceeded
        ? typeof(InteractionsRateLimitException)
        : InteractionsErrorCatalog.Get(code).Category switch
        {
            InteractionsErrorCategory.General => typeof(InteractionsGeneralException),
            InteractionsErrorCategory.Authentication => typeof(InteractionsAuthenticationException),
            InteractionsErrorCategory.Api => typeof(InteractionsApiException),
            InteractionsErrorCategory.Template => typeof(InteractionsTemplateException),
            InteractionsErrorCategory.Media => typeof(InteractionsMediaException),
            InteractionsErrorCategory.Permissions => typeof(InteractionsPermissionException),
            InteractionsErrorCategory.Vendor => typeof(InteractionsVendorException),
            InteractionsErrorCategory.Server => typeof(InteractionsServerException),
            InteractionsErrorCategory.Payment => typeof(InteractionsPaymentException),
            _ => typeof(InteractionsUnknownException),
        };
}
