using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;
using Xunit.Abstractions;

namespace Interactions.Resilience.IntegrationTests.Http;

/// <summary>
/// The rate-limit storm of the design's performance budget: 50 concurrent senders, 4 sends each, against a server
/// that accepts 20 requests a second and answers the rest HTTP 400 + 030003 + <c>Retry-After</c>.
/// </summary>
[Collection(SerialLoad.Name)]
public sealed class RateLimitStormTests(ITestOutputHelper output)
{
    private const int Senders = 50;
    private const int SendsPerSender = 4;
    private const int AcceptedPerSecond = 20;

    // A patient AddStandardResilienceHandler (30 retries, breaker off) received 353 rate-limit answers for this work;
    // the budget is a fifth of that. A naive client without a shared wait would need several hundred.
    private const int RateLimitAnswerBudget = 80;

    [Fact]
    public async Task SendAsync_FiftySendersAgainstTwentyPerSecond_EverySendSucceedsWithFewRateLimitAnswers()
    {
        using var simulator = InteractionsSimulator.Start();
        using var client = new SimulatorClient(simulator.BaseAddress, fastTimings: false); // the default options
        using (await client.Client.GetAsync("v1/warm-up"))
        {
            // JIT and the first connection, outside the measurement.
        }

        simulator.Reset();
        simulator.RateLimit(AcceptedPerSecond);
        var failures = new ConcurrentQueue<Exception>();
        var messageIds = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < SendsPerSender; i++)
            {
                try
                {
                    using var response = await client.Client.PostAsync("v1/messages", new StringContent("""{"to":"+15550100","text":"storm"}"""));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    messageIds.Add(body.RootElement.GetProperty("id").GetString()!);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })));

        clock.Stop();
        var sends = Senders * SendsPerSender;
        var requests = simulator.Requests;
        output.WriteLine($"sends: {sends}, completed: {messageIds.Count}, failed: {failures.Count}");
        output.WriteLine($"requests received: {requests.Count}, rate-limit answers: {simulator.RateLimitedCount}, wall time: {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"busiest key: {simulator.RequestsPerIdempotencyKey.Values.DefaultIfEmpty().Max()} requests");
        var start = requests.Count > 0 ? requests[0].ReceivedAt : default;
        foreach (var slice in requests.GroupBy(r => (int)((r.ReceivedAt - start).TotalMilliseconds / 250)).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {slice.Key * 0.25,5:F2} s: {slice.Count(r => r.Answer == SimulatorAnswer.Success),3} accepted, {slice.Count(r => r.Answer == SimulatorAnswer.RateLimited),3} rate-limited");
        }

        foreach (var group in failures.GroupBy(f => f is InteractionsException ie ? $"{ie.GetType().Name} {ie.FormattedCode} attempts={ie.Attempts} retryAfter={ie.RetryAfter}" : f.GetType().Name + ": " + f.Message))
        {
            output.WriteLine($"failure x{group.Count()}: {group.Key}");
        }

        Assert.Empty(failures);
        Assert.Equal(sends, messageIds.Distinct().Count()); // every send created exactly one message
        Assert.Equal(sends, simulator.RequestsPerIdempotencyKey.Count);
        Assert.Equal(sends + simulator.RateLimitedCount, requests.Count);
        Assert.InRange(simulator.RateLimitedCount, 0, RateLimitAnswerBudget);
    }
}
