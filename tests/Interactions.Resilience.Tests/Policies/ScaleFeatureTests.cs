using System.Net;
using System.Net.Http.Headers;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Tests.Policies;

/// <summary>Retry budget, circuit breaker, scoped waits, credential refresh and the proactive limiter.</summary>
[Collection(SerialFakeTime.Name)]
public class ScaleFeatureTests
{
    [Fact]
    public async Task RetryBudget_Spent_FailureSurfacesAtOnce_AndTheExceptionSaysSo()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.RetryBudget.MinRetriesPerSecond = 1; // 10 retries in the 10 s window, however few the requests
        });
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));

        var exceptions = new List<InteractionsException>();
        for (var i = 0; i < 20; i++)
        {
            exceptions.Add(await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1")));
        }

        Assert.Equal(20 + 10, harness.Server.CallCount);
        Assert.Equal(10, exceptions.Sum(e => e.Attempts - 1));
        var last = exceptions[^1];
        Assert.Equal(1, last.Attempts);
        Assert.Contains("retry budget is spent", last.Message);
        Assert.DoesNotContain("retry budget", exceptions[0].Message);
    }

    [Fact]
    public async Task RetryBudget_GrowsWithTraffic()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.RetryBudget.MinRetriesPerSecond = 0;
        });
        for (var i = 0; i < 100; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));
        for (var i = 0; i < 10; i++)
        {
            await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
        }

        // 110 requests in the window: 20 % is 22 retries.
        Assert.Equal(100 + 10 + 22, harness.Server.CallCount);
    }

    [Fact]
    public async Task Outage_TenSecondsWith100Callers_CostsAtMost1Point2AttemptsPerRequest()
    {
        using var harness = new HandlerHarness();
        var outageEnds = HandlerHarness.Start + TimeSpan.FromSeconds(10);
        harness.Server.Default = (_, _) => Task.FromResult(harness.Time.GetUtcNow() < outageEnds
            ? StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503)
            : StubServer.Ok());
        var logical = 0;
        var failed = 0;

        async Task CallerAsync()
        {
            while (harness.Time.GetUtcNow() < outageEnds)
            {
                Interlocked.Increment(ref logical);
                try
                {
                    (await harness.Client.PostAsync("v1/messages", new StringContent("{}"))).Dispose();
                }
                catch (InteractionsException)
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), harness.Time);
            }
        }

        await harness.RunAsync(Task.WhenAll(Enumerable.Range(0, 100).Select(_ => CallerAsync())).ContinueWith(_ => 0), step: TimeSpan.FromMilliseconds(100));

        var attemptsPerRequest = (double)harness.Server.CallCount / logical;
        Assert.True(logical >= 1000, $"{logical} requests");
        Assert.True(attemptsPerRequest <= 1.2, $"{harness.Server.CallCount} attempts for {logical} requests");
        Assert.True(failed > 0);
    }

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

    [Fact]
    public async Task ScopedWait_QuotaSpentOnOneSender_LeavesOtherSendersUntouched()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(5)), times: 3);

        // Three sends of one sender, all limited: its quota is spent.
        var limited = Enumerable.Range(0, 3).Select(_ => harness.Client.SendAsync(FromSender("+111"))).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));

        // Another sender goes straight through; the same sender waits with the first.
        var other = harness.Client.SendAsync(FromSender("+222"));
        Assert.True(other.IsCompletedSuccessfully);
        var same = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(same.IsCompleted);
        Assert.Equal(4, harness.Server.CallCount);

        var responses = await harness.RunAsync(Task.WhenAll(limited.Append(same)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(8, harness.Server.CallCount);
    }

    [Fact]
    public async Task ScopedWait_RequestWithoutScope_UsesTheClientController()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(5)), times: 3);

        var limited = Enumerable.Range(0, 3).Select(_ => harness.Client.GetAsync("v1/messages/1")).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        var unscoped = harness.Client.GetAsync("v1/messages/2");
        var scoped = harness.Client.SendAsync(FromSender("+333"));

        Assert.False(unscoped.IsCompleted);
        Assert.True(scoped.IsCompletedSuccessfully);
        await harness.RunAsync(Task.WhenAll(limited.Append(unscoped)));
    }

    [Fact]
    public async Task ScopedWait_OneLimitOnASender_PausesNoOtherRequestOfIt()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(5)));

        var limited = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));

        // A sporadic limit (Meta's pair limit: one recipient) says nothing about the sender's other sends.
        var same = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(same.IsCompletedSuccessfully);
        Assert.False(limited.IsCompleted);
        await harness.RunAsync(limited);
        Assert.Equal(3, harness.Server.CallCount);
    }

    [Fact]
    public async Task CredentialRefresh_ConcurrentExpiries_ShareOneRefresh_AndEachRequestReplaysOnce()
    {
        var refresher = new CountingRefresher();
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (request, _) => Task.FromResult(request.Headers.Authorization?.Parameter == "new"
            ? StubServer.Ok()
            : StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var calls = Enumerable.Range(0, 10).Select(_ => harness.Client.SendAsync(WithToken("old"))).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        refresher.Complete("new");
        var responses = await harness.RunAsync(Task.WhenAll(calls));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, refresher.Calls);
        Assert.Equal(20, harness.Server.CallCount);
    }

    [Fact]
    public async Task CredentialRefresh_StillExpiredAfterReplay_FailsWithoutASecondRefresh()
    {
        var refresher = new CountingRefresher();
        refresher.Complete("still-bad");
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(InteractionsErrorCode.TokenExpired, ex.Code);
        Assert.Equal(2, ex.Attempts);
        Assert.Equal(1, refresher.Calls);
    }

    [Fact]
    public async Task CredentialRefresh_RefresherFails_Surfaces020001WithTheCause()
    {
        var refresher = new CountingRefresher();
        refresher.Fail(new InvalidOperationException("identity provider down"));
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(InteractionsErrorCode.TokenExpired, ex.Code);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public async Task TokenExpired_WithoutRefresher_FailsFast()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task ProactiveLimiter_NeverExceedsThePermitsPerSecond()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.PermitsPerSecond = 10);

        var calls = Enumerable.Range(0, 30).Select(_ => harness.Client.PostAsync("v1/messages", new StringContent("{}"))).ToArray();
        var responses = await harness.RunAsync(Task.WhenAll(calls), step: TimeSpan.FromMilliseconds(10));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var times = harness.Server.Calls.Select(c => c.At).OrderBy(t => t).ToList();
        for (var i = 0; i + 10 < times.Count; i++)
        {
            Assert.True(times[i + 10] - times[i] >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20), $"11 requests within {times[i + 10] - times[i]}");
        }

        Assert.InRange(harness.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task ProactiveLimiter_QueueFull_FailsLocallyWithRateLimitException()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.RateLimit.PermitsPerSecond = 5;
            o.RateLimit.QueueLimit = 2;
        });

        var calls = Enumerable.Range(0, 10).Select(_ => harness.Client.GetAsync("v1/messages/1")).ToArray();
        await harness.DriveAsync(Task.WhenAll(calls).ContinueWith(_ => { }));

        var rejected = calls.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException).ToList();
        Assert.Equal(7, rejected.Count);
        Assert.All(rejected, e =>
        {
            var ex = Assert.IsType<InteractionsRateLimitException>(e);
            Assert.Equal(0, ex.Attempts);
            Assert.Contains("queue is full", ex.Message);
        });
        Assert.Equal(3, harness.Server.CallCount);
    }

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }

    private static HttpRequestMessage WithToken(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private sealed class CountingRefresher : IInteractionsCredentialRefresher
    {
        private readonly TaskCompletionSource<AuthenticationHeaderValue> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => _calls;

        public void Complete(string token) => _next.TrySetResult(new AuthenticationHeaderValue("Bearer", token));

        public void Fail(Exception exception) => _next.TrySetException(exception);

        public async ValueTask<AuthenticationHeaderValue> RefreshAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return await _next.Task.ConfigureAwait(false);
        }
    }
}
