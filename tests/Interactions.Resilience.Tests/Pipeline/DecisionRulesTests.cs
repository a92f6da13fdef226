using System.Net;
using System.Net.Sockets;
using Interactions.Resilience.Pipeline.Internal;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>The decision after a failure, as a table: error, request, spent retries and time left in; decision out. No HTTP, no clock.</summary>
public class DecisionRulesTests
{
    private static readonly TimeSpan Plenty = TimeSpan.FromMinutes(2);

    public static TheoryData<string, InteractionsErrorCode, double?, string, string, double> Table() => new()
    {
        // name, code, Retry-After (s), method, expected kind, expected delay (s)
        { "server error, GET: first backoff, no jitter", InteractionsErrorCode.InternalServerError, null, "GET", nameof(DecisionKind.Retry), 1 },
        { "server error, Retry-After replaces the backoff", InteractionsErrorCode.InternalServerError, 7, "GET", nameof(DecisionKind.Retry), 7 },
        { "media error: retried", InteractionsErrorCode.MediaDownloadError, null, "POST", nameof(DecisionKind.Retry), 1 },
        { "vendor maintenance (not processed): POST retried without a key", InteractionsErrorCode.VendorAccountInMaintenanceMode, null, "POST", nameof(DecisionKind.Retry), 1 },
        { "rate limit waits its own Retry-After", InteractionsErrorCode.RateLimitExceeded, 3, "POST", nameof(DecisionKind.WaitForRateLimit), 3 },
        { "rate limit without Retry-After waits DefaultDelay", InteractionsErrorCode.RateLimitExceeded, null, "GET", nameof(DecisionKind.WaitForRateLimit), 1 },
        { "PIN guessed too fast waits PinCooldown", InteractionsErrorCode.TwoStepPinGuessedTooFast, null, "POST", nameof(DecisionKind.Cooldown), 30 },
        { "registration cooldown is longer than MaxWait: fails", InteractionsErrorCode.WaitBeforeRegistering, null, "POST", nameof(DecisionKind.Fail), 0 },
        { "template paused fails fast", InteractionsErrorCode.TemplateIsPaused, null, "POST", nameof(DecisionKind.Fail), 0 },
        { "account locked halts for HaltDuration", InteractionsErrorCode.AccountLocked, null, "GET", nameof(DecisionKind.Halt), 60 },
        { "token expired without a refresher fails fast", InteractionsErrorCode.TokenExpired, null, "GET", nameof(DecisionKind.Fail), 0 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_DefaultOptions_FollowsTheTable(string name, InteractionsErrorCode code, double? retryAfter, string method, string kind, double delaySeconds)
    {
        var decision = Decide(Error(code, retryAfter), method, hasKey: false);

        Assert.True(decision.Kind == Enum.Parse<DecisionKind>(kind), $"{name}: {decision}");
        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), decision.Delay);
    }

    [Theory]
    [InlineData(InteractionsErrorCode.InternalServerError)]
    [InlineData(InteractionsErrorCode.UnknownError)]
    public void Decide_MaybeProcessedPostWithoutKey_Fails_WithKeyRetries(InteractionsErrorCode code)
    {
        var withoutKey = Decide(Error(code), "POST", hasKey: false);
        var withKey = Decide(Error(code), "POST", hasKey: true);
        var patchWithoutKey = Decide(Error(code), "PATCH", hasKey: false);
        var put = Decide(Error(code), "PUT", hasKey: false);

        Assert.Equal(DecisionKind.Fail, withoutKey.Kind);
        Assert.Equal(Decision.MaybeProcessed, withoutKey.Reason);
        Assert.Equal(DecisionKind.Fail, patchWithoutKey.Kind);
        Assert.Equal(DecisionKind.Retry, withKey.Kind);
        Assert.Equal(DecisionKind.Retry, put.Kind);
    }

    [Fact]
    public void Decide_TransportFailure_RefusedConnectionIsRetriedForAPost_ResetAfterSendingIsNot()
    {
        var refused = Transport(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));
        var reset = Transport(new HttpRequestException(HttpRequestError.ResponseEnded, "reset"));

        Assert.Equal(DecisionKind.Retry, Decide(refused, "POST", hasKey: false).Kind);
        Assert.Equal(DecisionKind.Fail, Decide(reset, "POST", hasKey: false).Kind);
        Assert.Equal(DecisionKind.Retry, Decide(reset, "POST", hasKey: true).Kind);
    }

    [Fact]
    public void Decide_RetriesSpent_FailsAsExhausted_EachPolicyCountsItsOwn()
    {
        var options = new InteractionsResilienceOptions();
        var spent = new AttemptCounters { Retries = 3, RateLimitRetries = 5, CooldownRetries = 1 };
        var fresh = new AttemptCounters { Retries = 3 }; // the Retry policy's are spent, the others' are not

        Assert.Equal(Decision.Exhausted, Decide(Error(InteractionsErrorCode.ServiceUnavailable), "GET", false, spent, options).Reason);
        Assert.Equal(Decision.Exhausted, Decide(Error(InteractionsErrorCode.RateLimitExceeded, 1), "GET", false, spent, options).Reason);
        Assert.Equal(Decision.Exhausted, Decide(Error(InteractionsErrorCode.TwoStepPinGuessedTooFast), "GET", false, spent, options).Reason);
        Assert.Equal(DecisionKind.WaitForRateLimit, Decide(Error(InteractionsErrorCode.RateLimitExceeded, 1), "GET", false, fresh, options).Kind);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 30)] // 32 s capped at MaxDelay
    public void Decide_Backoff_DoublesFromBaseDelay_CappedAtMaxDelay(int retriesSoFar, double expectedSeconds)
    {
        var decision = Decide(Error(InteractionsErrorCode.ServerOverloaded), "GET", false, new AttemptCounters { Retries = retriesSoFar }, new InteractionsResilienceOptions { Retry = { MaxRetryAttempts = 10 } });

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), decision.Delay);
    }

    [Theory]
    [InlineData(0.0, 0.75)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999, 1.2495)]
    public void Decide_Jitter_SpreadsTheBackoffByAQuarter(double sample, double expectedSeconds)
    {
        var input = Input(Error(InteractionsErrorCode.ServerOverloaded), "GET", hasKey: false, default, jitter: sample);

        var decision = DecisionRules.Decide(input, new InteractionsResilienceOptions { Retry = { UseJitter = true } });

        Assert.Equal(expectedSeconds, decision.Delay.TotalSeconds, 3);
    }

    [Fact]
    public void Decide_WaitLongerThanMaxWait_FailsAndCarriesTheRefusedWait()
    {
        var decision = Decide(Error(InteractionsErrorCode.RateLimitExceeded, 120), "GET", hasKey: false);

        Assert.Equal(DecisionKind.Fail, decision.Kind);
        Assert.Equal(Decision.WaitTooLong, decision.Reason);
        Assert.Equal(TimeSpan.FromSeconds(120), decision.RefusedWait);
    }

    [Fact]
    public void Decide_WaitLongerThanTheTimeLeft_Fails()
    {
        var input = Input(Error(InteractionsErrorCode.ServiceUnavailable, 5), "GET", false, default) with { TimeLeft = TimeSpan.FromSeconds(4) };

        var decision = DecisionRules.Decide(input, new InteractionsResilienceOptions());

        Assert.Equal(TimeSpan.FromSeconds(5), decision.RefusedWait);
    }

    [Fact]
    public void Decide_RateLimit_ScopePauseCountsTowardTheLimit_ButTheRequestWaitsItsOwn()
    {
        var error = Error(InteractionsErrorCode.RateLimitExceeded, 2);
        var paused = Input(error, "GET", false, default) with { PauseRemaining = TimeSpan.FromSeconds(50) };
        var tooLong = paused with { PauseRemaining = TimeSpan.FromSeconds(61) };

        var waits = DecisionRules.Decide(paused, new InteractionsResilienceOptions());
        var fails = DecisionRules.Decide(tooLong, new InteractionsResilienceOptions());

        Assert.Equal(new Decision(DecisionKind.WaitForRateLimit, TimeSpan.FromSeconds(2)), waits);
        Assert.Equal(TimeSpan.FromSeconds(61), fails.RefusedWait);
    }

    [Fact]
    public void Decide_TokenExpiredWithRefresher_RefreshesOnce()
    {
        var error = Error(InteractionsErrorCode.TokenExpired);
        var first = Input(error, "POST", false, default) with { CanRefreshCredentials = true };
        var second = first with { Counters = new AttemptCounters { CredentialsRefreshed = true } };

        Assert.Equal(DecisionKind.RefreshCredentials, DecisionRules.Decide(first, new InteractionsResilienceOptions()).Kind);
        Assert.Equal(Decision.NotRetryable, DecisionRules.Decide(second, new InteractionsResilienceOptions()).Reason);
    }

    [Fact]
    public void Decide_PolicyOverride_IsWhatDecides()
    {
        var input = Input(Error(InteractionsErrorCode.TemplateIsPaused), "GET", false, default) with { Policy = InteractionsPolicy.Retry };

        Assert.Equal(DecisionKind.Retry, DecisionRules.Decide(input, new InteractionsResilienceOptions()).Kind);
    }

    [Fact]
    public void AttemptCounters_Count_EachKindItsOwnCounter()
    {
        var counters = default(AttemptCounters);

        counters.Count(DecisionKind.Retry);
        counters.Count(DecisionKind.Retry);
        counters.Count(DecisionKind.WaitForRateLimit);
        counters.Count(DecisionKind.Cooldown);
        counters.Count(DecisionKind.RefreshCredentials);
        counters.Count(DecisionKind.Fail);

        Assert.Equal((2, 1, 1, true), (counters.Retries, counters.RateLimitRetries, counters.CooldownRetries, counters.CredentialsRefreshed));
    }

    private static Decision Decide(InteractionsError error, string method, bool hasKey)
        => Decide(error, method, hasKey, default, new InteractionsResilienceOptions { Retry = { UseJitter = false } });

    private static Decision Decide(InteractionsError error, string method, bool hasKey, AttemptCounters counters, InteractionsResilienceOptions options)
    {
        options.Retry.UseJitter = false;
        return DecisionRules.Decide(Input(error, method, hasKey, counters), options);
    }

    private static DecisionInput Input(InteractionsError error, string method, bool hasKey, AttemptCounters counters, double jitter = 0.5)
        => new(error, InteractionsErrorCatalog.Get(error.Code).DefaultPolicy, method is "POST" or "PATCH", hasKey, CanRefreshCredentials: false, counters, Plenty, TimeSpan.Zero, jitter);

    private static InteractionsError Error(InteractionsErrorCode code, double? retryAfterSeconds = null)
    {
        var info = InteractionsErrorCatalog.Get(code);
        return new InteractionsError(info, InteractionsErrorSource.Body, HttpStatusCode.BadRequest, "m", retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, info.FormattedCode);
    }

    private static InteractionsError Transport(Exception exception) => InteractionsErrorClassifier.ClassifyTransportFailure(exception);
}
