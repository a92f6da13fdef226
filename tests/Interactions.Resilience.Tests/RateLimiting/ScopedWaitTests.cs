using System.Net;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.RateLimiting;

/// <summary>Scoped waits: a rate limit on one scope pauses only that scope.</summary>
[Collection(SerialFakeTime.Name)]
public class ScopedWaitTests
{
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

    private static HttpRequestMessage FromSender(string sender)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Add("X-Sender", sender);
        return request;
    }
}
