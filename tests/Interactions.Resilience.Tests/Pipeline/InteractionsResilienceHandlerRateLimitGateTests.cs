using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Pipeline;

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
    public async Task SendAsync_PacedBursts_EachGoesOneSecondAfterThePreviousBurstsFirstSuccessCameBack()
    {
        using var harness = new HandlerHarness();
        for (var i = 0; i < 5; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose();
        }

        var limitedAt = harness.Server.CallCount;
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)));
        var first = harness.Client.PostAsync("v1/messages", new StringContent("{}"));
        var others = Enumerable.Range(0, 14).Select(_ => harness.Client.PostAsync("v1/messages", new StringContent("{}"))).ToArray();

        await harness.RunAsync(Task.WhenAll(others.Prepend(first)), step: TimeSpan.FromMilliseconds(1));

        // 15 requests in bursts of the 5 a second accepted. The stub answers at once, so each burst's window began
        // when its answers came back: the next burst goes a second later, not the fixed 1.025 s guess.
        var released = harness.Server.Calls.Skip(limitedAt + 1).Select(c => c.At - HandlerHarness.Start).Order().ToList();
        Assert.Equal(15, released.Count);
        var starts = released.Chunk(5).Select(burst => burst.Min()).ToArray();
        Assert.All(released.Chunk(5), burst => Assert.True(burst.Max() - burst.Min() < TimeSpan.FromMilliseconds(5), $"a burst spread over {burst.Max() - burst.Min()}"));
        Assert.InRange(starts[1] - starts[0], TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1004));
        Assert.InRange(starts[2] - starts[1], TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1004));
    }

    [Fact]
    public async Task SendAsync_LimitsInFlightNameTheSameWindow_OthersGoAtTheEarliestEnd_EachLimitedRequestAfterItsOwnRetryAfter()
    {
        using var harness = new HandlerHarness();
        for (var i = 0; i < 5; i++)
        {
            (await harness.Client.GetAsync("v1/messages/1")).Dispose(); // accepted: paced at 5 a second afterwards
        }

        var slow = harness.Server.Then(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), harness.Time, ct);
            return StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1));
        });
        slow.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 429, TimeSpan.FromSeconds(1)));

        var late = harness.Client.GetAsync("v1/messages/late"); // its "1" comes at 500 ms: not before 1500 ms
        var early = harness.Client.GetAsync("v1/messages/early"); // its "1" comes at once: the window ends by 1000 ms
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100), step: TimeSpan.FromMilliseconds(10));
        var fresh = harness.Client.GetAsync("v1/messages/fresh");

        await harness.RunAsync(Task.WhenAll(late, early, fresh), step: TimeSpan.FromMilliseconds(10));

        TimeSpan Retried(string path) => harness.Server.Calls.Where(c => c.Uri!.AbsolutePath.EndsWith(path, StringComparison.Ordinal)).Max(c => c.At) - HandlerHarness.Start;
        Assert.InRange(Retried("/early"), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1020));
        Assert.InRange(Retried("/fresh"), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1020));
        Assert.InRange(Retried("/late"), TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(1520));
        Assert.Equal(5 + 5, harness.Server.CallCount);
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
