using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Http;

/// <summary>A rate limit pauses the whole client, then releases the waiting requests at the server's pace.</summary>
[Collection(SerialFakeTime.Name)]
public class InteractionsResilienceHandlerRateLimitGateTests
{
    [Fact]
    public async Task SendAsync_RateLimitThen20ConcurrentRequests_ServerSeesNothingDuringTheWait_ThenAPacedRelease()
    {
        using var harness = new HandlerHarness();

        // The server accepted 5 requests in this second before the limit.
        for (var i = 0; i < 5; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        var limitedAt = harness.Server.CallCount;
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(2)));
        var first = harness.Client.PostAsync("v1/messages", new StringContent("{}"));
        var others = Enumerable.Range(0, 20).Select(_ => harness.Client.PostAsync("v1/messages", new StringContent("{}"))).ToArray();
        var all = Task.WhenAll(others.Prepend(first));

        // During the two-second wait the server sees only the request that was limited.
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1950), step: TimeSpan.FromMilliseconds(10));
        Assert.Equal(limitedAt + 1, harness.Server.CallCount);

        var responses = await harness.RunAsync(all, step: TimeSpan.FromMilliseconds(10));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // After the wait: 21 requests released at about the 5 per second the server accepted, the first five at once.
        var released = harness.Server.Calls.Skip(limitedAt + 1).Select(c => c.At - HandlerHarness.Start).ToList();
        Assert.Equal(21, released.Count);
        var pauseEnd = harness.Server.Calls[limitedAt].At - HandlerHarness.Start + TimeSpan.FromSeconds(2);
        Assert.All(released, at => Assert.True(at >= pauseEnd - TimeSpan.FromMilliseconds(10), $"released at {at}, before the pause ended at {pauseEnd}"));
        for (var second = 0; second < 4; second++)
        {
            var from = pauseEnd + TimeSpan.FromSeconds(second);
            var inWindow = released.Count(at => at >= from && at < from + TimeSpan.FromSeconds(1));
            Assert.InRange(inWindow, 1, 6);
        }

        Assert.InRange(released[^1] - pauseEnd, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(4.5));
        Assert.Equal(1, harness.Server.Calls.Skip(limitedAt).Count(c => c.IdempotencyKey == harness.Server.Calls[limitedAt].IdempotencyKey) - 1);
    }

    [Fact]
    public async Task SendAsync_GateQuietForFiveSeconds_ReturnsToTheFastPath()
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
