using System.Net;
using System.Text;
using System.Text.Json;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.IntegrationTests.Simulator;

/// <summary>
/// Each <see cref="InteractionsRateLimitModel"/> over real HTTP with a plain <see cref="HttpClient"/>, on a fake clock
/// that only the test advances, so every answer is exact.
/// </summary>
public sealed class RateLimitModelTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InteractionsSimulator _simulator;
    private readonly HttpClient _client;

    public RateLimitModelTests()
    {
        _simulator = InteractionsSimulator.Start(_clock);
        _client = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }

    // ---- fixed window ----

    [Fact]
    public async Task FixedWindow_As429_AcceptsTheQuotaThenAnswers429With030003AndTheSecondsLeft()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(2).WithStatusCode(429));

        var first = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        var second = await AnswerAsync();
        var third = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        var nextWindow = await AnswerAsync();

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(new Answer(429, "030003", TimeSpan.FromSeconds(1)), third);
        Assert.Equal(200, nextWindow.Status);
        Assert.Equal(1, _simulator.RateLimitedCount);
        Assert.Equal(SimulatorAnswer.RateLimited, _simulator.Requests[2].Answer);
    }

    [Fact]
    public async Task FixedWindow_ByDefault_Answers400LikeTheVendor()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1));

        await AnswerAsync();
        var limited = await AnswerAsync();

        Assert.Equal(new Answer(400, "030003", TimeSpan.FromSeconds(1)), limited);
    }

    [Fact]
    public async Task FixedWindow_WithoutRetryAfter_AnswersNoRetryAfterHeader()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1).WithStatusCode(429).WithoutRetryAfter());

        await AnswerAsync();
        var limited = await AnswerAsync();

        Assert.Equal(new Answer(429, "030003", null), limited);
        Assert.Equal(1, _simulator.RateLimitedCount);
    }

    // ---- sliding window ----

    [Fact]
    public async Task SlidingWindow_RollingSecond_AcceptsOnlyAsTheOldestAcceptedRequestLeaves()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.SlidingWindow(2));

        var at0 = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var at500 = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        var at900 = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var at1000 = await AnswerAsync();

        // A fixed window would start afresh at 1 s and accept this one too; the rolling second still holds 0.5 s's.
        var alsoAt1000 = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var at1500 = await AnswerAsync();

        Assert.Equal(
            new[] { 200, 200, 400, 200, 400, 200 },
            new[] { at0.Status, at500.Status, at900.Status, at1000.Status, alsoAt1000.Status, at1500.Status });
        Assert.Equal(new Answer(400, "030003", TimeSpan.FromSeconds(1)), at900);
        Assert.Equal(new Answer(400, "030003", TimeSpan.FromSeconds(1)), alsoAt1000);
        Assert.Equal(2, _simulator.RateLimitedCount);
    }

    // ---- token bucket ----

    [Fact]
    public async Task TokenBucket_FullBucket_AcceptsTheBurstThenOneRequestPerRefilledToken()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.TokenBucket(requestsPerSecond: 2, burst: 3).WithStatusCode(429));

        var burst = await AnswersAsync(4);
        _clock.Advance(TimeSpan.FromMilliseconds(250)); // half a token
        var halfRefilled = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        var refilled = await AnswersAsync(2);

        Assert.Equal(new[] { 200, 200, 200, 429 }, burst.Select(a => a.Status));
        Assert.Equal(TimeSpan.FromSeconds(1), burst[3].RetryAfter); // 0.5 s to the next token, rounded up
        Assert.Equal(429, halfRefilled.Status);
        Assert.Equal(new[] { 200, 429 }, refilled.Select(a => a.Status));
    }

    [Fact]
    public async Task TokenBucket_LongQuiet_RefillsOnlyUpToTheBurst()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.TokenBucket(requestsPerSecond: 2, burst: 3));
        await AnswersAsync(3);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var afterQuiet = await AnswersAsync(4);

        Assert.Equal(new[] { 200, 200, 200, 400 }, afterQuiet.Select(a => a.Status));
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    [InlineData("bucket")]
    public async Task QuotaModels_ConcurrentBurst_AcceptExactlyTheQuota(string kind)
    {
        _simulator.RateLimit(kind switch
        {
            "fixed" => InteractionsRateLimitModel.FixedWindow(5),
            "sliding" => InteractionsRateLimitModel.SlidingWindow(5),
            _ => InteractionsRateLimitModel.TokenBucket(requestsPerSecond: 1, burst: 5),
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AnswerAsync()));

        Assert.Equal(5, answers.Count(a => a.Status == 200));
        Assert.All(answers.Where(a => a.Status != 200), a => Assert.Equal(new Answer(400, "030003", TimeSpan.FromSeconds(1)), a));
        Assert.Equal(15, _simulator.RateLimitedCount);
    }

    // ---- sporadic ----

    [Fact]
    public async Task Sporadic_SameSeed_RejectsTheSameRequestsInEveryRun()
    {
        var model = InteractionsRateLimitModel.Sporadic(0.2, retryAfter: TimeSpan.Zero, seed: 42).WithStatusCode(429);
        _simulator.RateLimit(model);
        var first = await AnswersAsync(100);
        _simulator.RateLimit(model); // its draws start afresh
        var again = await AnswersAsync(100);

        Assert.Equal(first.Select(a => a.Status), again.Select(a => a.Status));
        var rejected = first.Where(a => a.Status != 200).ToList();
        Assert.InRange(rejected.Count, 8, 35); // about a fifth of 100
        Assert.All(rejected, a => Assert.Equal(new Answer(429, "030003", TimeSpan.Zero), a));
        Assert.Equal(2 * rejected.Count, _simulator.RateLimitedCount);
    }

    [Fact]
    public async Task Sporadic_OtherSeed_RejectsOtherRequests()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.Sporadic(0.2, retryAfter: null, seed: 1));
        var one = await AnswersAsync(60);
        _simulator.RateLimit(InteractionsRateLimitModel.Sporadic(0.2, retryAfter: null, seed: 2));
        var other = await AnswersAsync(60);

        Assert.NotEqual(one.Select(a => a.Status), other.Select(a => a.Status));
        Assert.All(one.Concat(other).Where(a => a.Status != 200), a => Assert.Equal(new Answer(400, "030003", null), a));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 20)]
    public async Task Sporadic_ShareAtTheBounds_RejectsNoneOrAll(double share, int expectedRejections)
    {
        _simulator.RateLimit(InteractionsRateLimitModel.Sporadic(share, retryAfter: TimeSpan.FromMilliseconds(1_500)));

        var answers = await AnswersAsync(20);

        Assert.Equal(expectedRejections, answers.Count(a => a.Status == 400));
        Assert.All(answers.Where(a => a.Status == 400), a => Assert.Equal(TimeSpan.FromSeconds(2), a.RetryAfter));
    }

    // ---- a quota that changes ----

    [Fact]
    public async Task WithRateChange_QuotaRaisedFourfold_AcceptsTheNewRateFromTheScheduledMoment()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(2).WithRateChange(TimeSpan.FromSeconds(1), 8));

        var before = await AnswersAsync(3);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = await AnswersAsync(9);

        Assert.Equal(2, before.Count(a => a.Status == 200));
        Assert.Equal(8, after.Count(a => a.Status == 200));
        Assert.Equal(400, after[8].Status);
    }

    [Fact]
    public async Task WithRateChange_QuotaLoweredFourfold_RejectsPastTheNewRateEvenInTheWindowInForce()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(8)
            .WithRateChange(TimeSpan.FromMilliseconds(1_500), 2));
        var first = await AnswersAsync(8);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var secondWindow = await AnswersAsync(1); // the window that started at 1 s, before the change
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var atTheChange = await AnswersAsync(2); // same window, now allowed 2, holds 1
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var thirdWindow = await AnswersAsync(3);

        Assert.All(first, a => Assert.Equal(200, a.Status));
        Assert.Equal(200, secondWindow[0].Status);
        Assert.Equal(new[] { 200, 400 }, atTheChange.Select(a => a.Status));
        Assert.Equal(new[] { 200, 200, 400 }, thirdWindow.Select(a => a.Status));
    }

    [Fact]
    public async Task ChangeRateLimit_TokenBucket_RefillsAtTheNewRate()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.TokenBucket(requestsPerSecond: 1, burst: 10));
        await AnswersAsync(10);

        _simulator.ChangeRateLimit(4);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var refilled = await AnswersAsync(5);

        Assert.Equal(new[] { 200, 200, 200, 200, 400 }, refilled.Select(a => a.Status));
    }

    [Fact]
    public async Task ChangeRateLimit_SlidingWindowLowered_RejectsUntilTheLogHoldsLessThanTheNewRate()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.SlidingWindow(4));
        await AnswersAsync(2);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        await AnswersAsync(2);

        _simulator.ChangeRateLimit(1);
        _clock.Advance(TimeSpan.FromMilliseconds(600)); // the first two left; the two of 0.5 s still count
        var limited = await AnswerAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        var free = await AnswerAsync();

        Assert.Equal(new Answer(400, "030003", TimeSpan.FromSeconds(1)), limited);
        Assert.Equal(200, free.Status);
    }

    [Fact]
    public void ChangeRateLimit_NoQuotaInForce_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _simulator.ChangeRateLimit(5));
        _simulator.RateLimit(InteractionsRateLimitModel.Sporadic(0.1, null));
        Assert.Throws<InvalidOperationException>(() => _simulator.ChangeRateLimit(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => _simulator.ChangeRateLimit(0));
    }

    // ---- scopes ----

    [Fact]
    public async Task PerSenderAndRecipient_EachPairHasItsOwnQuota()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1).PerSenderAndRecipient());

        var answers = new List<int>();
        foreach (var (sender, to) in new (string?, string?)[]
        {
            ("+1555A", "+4915100"), ("+1555A", "+4915100"), ("+1555A", "+4915199"), ("+1555B", "+4915100"), (null, null), (null, null),
        })
        {
            answers.Add((await AnswerAsync(sender, to)).Status);
        }

        Assert.Equal(new[] { 200, 400, 200, 200, 200, 400 }, answers);
    }

    [Fact]
    public async Task PerSender_RecipientsOfOneSenderShareItsQuota()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(2).PerSender());

        var senderA = new[] { await AnswerAsync("+1555A", "+491"), await AnswerAsync("+1555A", "+492"), await AnswerAsync("+1555A", "+493") };
        var senderB = await AnswerAsync("+1555B", "+491");

        Assert.Equal(new[] { 200, 200, 400 }, senderA.Select(a => a.Status));
        Assert.Equal(200, senderB.Status);
    }

    [Fact]
    public async Task PerSenderAndRecipient_BodyNotJson_CountsAsNoRecipient()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1).PerSenderAndRecipient());

        using var notJson = await _client.PostAsync("v1/messages", new StringContent("to=+4915100"));
        using var noTo = await _client.PostAsync("v1/messages", new StringContent("""{"text":"hi","nested":{"to":"+1"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noTo.StatusCode);
    }

    [Fact]
    public async Task PerSenderAndRecipient_JsonSentAsPlainText_StillReadsTheRecipient()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1).PerSenderAndRecipient());

        // new StringContent(json) is text/plain: the recipient is read whatever the content type says.
        using var first = await _client.PostAsync("v1/messages", new StringContent("""{"to":"+4915100"}"""));
        using var otherRecipient = await _client.PostAsync("v1/messages", new StringContent("""{"to":"+4915199"}"""));
        using var sameRecipient = await _client.PostAsync("v1/messages", new StringContent("""{"to":"+4915100"}"""));

        Assert.Equal(
            new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest },
            new[] { first.StatusCode, otherRecipient.StatusCode, sameRecipient.StatusCode });
    }

    // ---- the model in force ----

    [Fact]
    public async Task RateLimit_NewModel_ReplacesTheOneInForceAndClearRateLimitEndsIt()
    {
        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(1));
        await AnswerAsync();

        _simulator.RateLimit(InteractionsRateLimitModel.FixedWindow(2).WithStatusCode(503));
        var replaced = await AnswersAsync(3);
        _simulator.ClearRateLimit();
        var cleared = await AnswersAsync(3);

        Assert.Equal(new[] { 200, 200, 503 }, replaced.Select(a => a.Status));
        Assert.All(cleared, a => Assert.Equal(200, a.Status));
    }

    [Fact]
    public void Models_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.FixedWindow(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.SlidingWindow(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.TokenBucket(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.TokenBucket(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.Sporadic(1.5, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.Sporadic(double.NaN, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.Sporadic(0.1, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.FixedWindow(1).WithStatusCode(399));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.FixedWindow(1).WithStatusCode(600));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsRateLimitModel.FixedWindow(1).WithRateChange(TimeSpan.FromSeconds(-1), 2));
        Assert.Throws<InvalidOperationException>(() => InteractionsRateLimitModel.Sporadic(0.1, null).WithRateChange(TimeSpan.Zero, 2));
        Assert.Throws<InvalidOperationException>(() => InteractionsRateLimitModel.Sporadic(0.1, null).PerSenderAndRecipient());
        Assert.Throws<ArgumentNullException>(() => _simulator.RateLimit(null!));
    }

    [Fact]
    public void ToString_DescribesTheModel()
    {
        Assert.Equal("fixed window 20/s, 429, Retry-After", InteractionsRateLimitModel.FixedWindow(20).WithStatusCode(429).ToString());
        Assert.Equal(
            "fixed window 20/s, 80/s after 2 s, 400, no Retry-After, per sender/recipient pair",
            InteractionsRateLimitModel.FixedWindow(20).WithRateChange(TimeSpan.FromSeconds(2), 80).WithoutRetryAfter().PerSenderAndRecipient().ToString());
        Assert.Equal("token bucket 40/s, burst 10, 400, Retry-After", InteractionsRateLimitModel.TokenBucket(40, 10).ToString());
        Assert.Equal("sporadic 2 %, 429, Retry-After 1", InteractionsRateLimitModel.Sporadic(0.02, TimeSpan.FromSeconds(1)).WithStatusCode(429).ToString());
    }

    // ---- helpers ----

    private async Task<Answer> AnswerAsync(string? sender = null, string? to = "+4915100")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = to is null ? null : new StringContent($$"""{"text":"hi","to":"{{to}}"}""", Encoding.UTF8, "application/json"),
        };
        if (sender is not null)
        {
            request.Headers.Add("X-Sender", sender);
        }

        using var response = await _client.SendAsync(request);
        string? code = null;
        if (!response.IsSuccessStatusCode)
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            code = json.RootElement.GetProperty("error").GetProperty("code").GetString();
        }

        return new Answer((int)response.StatusCode, code, response.Headers.RetryAfter?.Delta);
    }

    private async Task<List<Answer>> AnswersAsync(int count)
    {
        var answers = new List<Answer>(count);
        for (var i = 0; i < count; i++)
        {
            answers.Add(await AnswerAsync());
        }

        return answers;
    }

    private sealed record Answer(int Status, string? Code, TimeSpan? RetryAfter);
}
