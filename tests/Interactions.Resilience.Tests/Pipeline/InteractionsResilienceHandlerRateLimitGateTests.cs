using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>
/// A rate limit through the handler: the limited request waits its own Retry-After; only limits that show the quota
/// spent pause the client, which then releases the waiting requests at a pace.
/// </summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerRateLimitGateTests
{
    [Fact]
    public async Task SendAsync_QuotaSpent_ServerSeesNothingDuringThePause_ThenAPacedRelease()
    {
        using var harness = new HandlerHarness();

        // The server accepted 5 requests in this second, then limits three in a row: the quota is spent.
        for (var i = 0; i < 5; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        var limitedAt = harness.Server.CallCount;
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(2)), times: 3);
        var all = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => harness.Client.PostAsync("v1/messages", new StringContent("{}"))));

        // During the two-second pause the server sees only the three requests that were limited.
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1950), step: TimeSpan.FromMilliseconds(10));
        Assert.Equal(limitedAt + 3, harness.Server.CallCount);

        var responses = await harness.RunAsync(all, step: TimeSpan.FromMilliseconds(10));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // After the pause: 20 requests released at the pace, 0.7 × the 5 a second accepted and growing back past it.
        var released = harness.Server.Calls.Skip(limitedAt + 3).Select(c => c.At - HandlerHarness.Start).ToList();
        Assert.Equal(20, released.Count);
        var pauseEnd = harness.Server.Calls[limitedAt].At - HandlerHarness.Start + TimeSpan.FromSeconds(2);
        Assert.All(released, at => Assert.True(at >= pauseEnd - TimeSpan.FromMilliseconds(10), $"released at {at}, before the pause ended at {pauseEnd}"));
        Assert.InRange(released.Count(at => at < pauseEnd + TimeSpan.FromSeconds(1)), 3, 7);
        Assert.InRange(released[^1] - pauseEnd, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4.5));
    }

    [Fact]
    public async Task SendAsync_OneLimitAmongAccepted_OthersGoAtOnce_TheLimitedRequestAfterItsOwnRetryAfter()
    {
        using var harness = new HandlerHarness();
        for (var i = 0; i < 5; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)));
        var limited = harness.Client.GetAsync("v1/messages/limited");
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100), step: TimeSpan.FromMilliseconds(10));

        var others = Enumerable.Range(0, 10).Select(_ => harness.Client.GetAsync("v1/messages/other")).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(50), step: TimeSpan.FromMilliseconds(10));
        Assert.All(others, o => Assert.True(o.IsCompletedSuccessfully, "a sporadic limit paused another request"));

        using var response = await harness.RunAsync(limited, step: TimeSpan.FromMilliseconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var retried = harness.Server.Calls.Where(c => c.Uri!.AbsolutePath.EndsWith("/limited", StringComparison.Ordinal)).Max(c => c.At) - HandlerHarness.Start;
        Assert.InRange(retried, TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1030));
    }

    [Fact]
    public async Task SendAsync_QuietForFiveSeconds_ReturnsToTheFastPath()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)));

        (await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"))).Dispose();
        harness.Time.Advance(TimeSpan.FromSeconds(6));
        (await harness.RunAsync(harness.Client.GetAsync("v1/messages/1"))).Dispose();

        // A request that completes synchronously took the fast path: no wait, no pipeline.
        var task = harness.Client.GetAsync("v1/messages/1");
        Assert.True(task.IsCompletedSuccessfully);
        (await task).Dispose();
    }
}
