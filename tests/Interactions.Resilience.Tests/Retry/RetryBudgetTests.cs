using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Retry;

/// <summary>The retry budget: retries add at most a share of the traffic.</summary>
[Collection(SerialFakeTime.Name)]
public class RetryBudgetTests
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
    public async Task RetryBudget_Off_EveryFailureGetsEveryRetry()
    {
        using var harness = new HandlerHarness(o =>
        {
            o.CircuitBreaker.Enabled = false;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.MaxRetryAttempts = 2;
            o.RetryBudget.Enabled = false;
            o.RetryBudget.MinRetriesPerSecond = 1; // would allow 10 retries in the window if the budget were on
        });
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.ServiceUnavailable, 503));

        for (var i = 0; i < 20; i++)
        {
            var exception = await harness.RunAndCatchAsync<InteractionsServerException>(harness.Client.GetAsync("v1/messages/1"));
            Assert.Equal(3, exception.Attempts);
        }

        Assert.Equal(20 * 3, harness.Server.CallCount);
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
}
