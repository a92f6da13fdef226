using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>Scoped waits: a rate limit on one scope pauses only that scope.</summary>
[Collection(SerialFakeTime.Name)]
public class ScopedWaitTests
{
    [Fact]
    public async Task ScopedWait_RateLimitOnOneSender_LeavesOtherSendersUntouched()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(5)));

        var limited = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));

        // Another sender goes straight through; the same sender waits with the first.
        var other = harness.Client.SendAsync(FromSender("+222"));
        Assert.True(other.IsCompletedSuccessfully);
        var same = harness.Client.SendAsync(FromSender("+111"));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(same.IsCompleted);
        Assert.Equal(2, harness.Server.CallCount);

        var responses = await harness.RunAsync(Task.WhenAll(limited, same));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(4, harness.Server.CallCount);
    }

    [Fact]
    public async Task ScopedWait_RequestWithoutScope_UsesTheClientGate()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => StubServer.Error(InteractionsErrorCode.RateLimitExceeded, 400, TimeSpan.FromSeconds(5)));

        var limited = harness.Client.GetAsync("v1/messages/1");
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        var unscoped = harness.Client.GetAsync("v1/messages/2");
        var scoped = harness.Client.SendAsync(FromSender("+333"));

        Assert.False(unscoped.IsCompleted);
        Assert.True(scoped.IsCompletedSuccessfully);
        await harness.RunAsync(Task.WhenAll(limited, unscoped));
    }

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }
}
