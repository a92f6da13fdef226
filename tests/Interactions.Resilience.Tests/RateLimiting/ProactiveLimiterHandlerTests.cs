using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>The proactive limiter, through the handler.</summary>
[Collection(SerialFakeTime.Name)]
public class ProactiveLimiterHandlerTests
{
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
}
