using System.Net;
using System.Text;
using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Pipeline;

/// <summary>Meta's relayed errors through the handler, on fake time: a pair rate limit pauses its recipient only.</summary>
public class InteractionsResilienceHandlerMetaTests
{
    private static HttpResponseMessage Meta(int code, int status = 400, TimeSpan? retryAfter = null)
    {
        var response = Responses.Json(status, $$$"""{"error":{"message":"(#{{{code}}}) limit","type":"OAuthException","code":{{{code}}},"error_data":{"messaging_product":"whatsapp","details":"d"},"fbtrace_id":"t"}}""");
        if (retryAfter is { } wait)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static HttpRequestMessage SendTo(string recipient, string? sender = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent($$"""{"messaging_product":"whatsapp","to":"{{recipient}}","type":"text"}""", Encoding.UTF8, "application/json"),
        };
        if (sender is not null)
        {
            request.Headers.Add("X-Sender", sender);
        }

        return request;
    }

    [Fact]
    public async Task SendAsync_PairRateLimit_PausesThatRecipientOnly()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => Meta(131056, retryAfter: TimeSpan.FromSeconds(5)));

        var limited = harness.Client.SendAsync(SendTo("+15550100"));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));

        // Another recipient goes straight through; the same recipient, through the same request, waits its 5 s.
        var other = harness.Client.SendAsync(SendTo("+15550199"));
        Assert.True(other.IsCompletedSuccessfully);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(limited.IsCompleted);
        Assert.Equal(2, harness.Server.CallCount);

        var response = await harness.RunAsync(limited);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Server.CallCount);
        Assert.InRange(harness.Server.Calls[2].At - HandlerHarness.Start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task SendAsync_ThroughputLimitOnSeveralSends_PausesTheWholeClient()
    {
        using var harness = new HandlerHarness();
        harness.Server.Then(() => Meta(130429, retryAfter: TimeSpan.FromSeconds(5)), times: 3);

        // Three sends in flight, all told the throughput is reached: the quota is spent, not one recipient's.
        var limited = Enumerable.Range(0, 3).Select(i => harness.Client.SendAsync(SendTo($"+1555010{i}"))).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        var other = harness.Client.SendAsync(SendTo("+15550199"));

        Assert.False(other.IsCompleted); // 130429 is the sender's throughput: every recipient waits
        var responses = await harness.RunAsync(Task.WhenAll(limited.Append(other)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task SendAsync_PairRateLimit_RecipientScopeWinsOverTheAppsScopeSelector()
    {
        using var harness = new HandlerHarness(o => o.RateLimit.ScopeSelector = r => r.Headers.TryGetValues("X-Sender", out var v) ? v.First() : null);
        harness.Server.Then(() => Meta(131056, retryAfter: TimeSpan.FromSeconds(5)));

        var limited = harness.Client.SendAsync(SendTo("+15550100", sender: "+111"));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));

        // The same sender, to another recipient: the pair limit does not pause the sender's scope.
        var sameSender = harness.Client.SendAsync(SendTo("+15550199", sender: "+111"));
        Assert.True(sameSender.IsCompletedSuccessfully);
        (await harness.RunAsync(limited)).Dispose();
    }

    [Fact]
    public async Task SendAsync_UnknownMetaCodeUnder400_FailsFastAfterOneCall()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(Meta(135000));

        var ex = await harness.RunAndCatchAsync<InteractionsUnknownException>(harness.Client.SendAsync(SendTo("+15550100")));

        Assert.Equal(InteractionsErrorCode.UnknownError, ex.Code);
        Assert.Equal("135000", ex.Error.RawCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
    }

    [Fact]
    public async Task SendAsync_UnknownMetaCodeUnder500_IsRetriedLike080001()
    {
        using var harness = new HandlerHarness(o => o.Retry.MaxRetryAttempts = 2);
        harness.Server.Default = (_, _) => Task.FromResult(Meta(135000, status: 500));

        var ex = await harness.RunAndCatchAsync<InteractionsUnknownException>(harness.Client.GetAsync("v1/messages/1"));

        Assert.Equal(3, ex.Attempts);
        Assert.Equal(3, harness.Server.CallCount);
    }
}
