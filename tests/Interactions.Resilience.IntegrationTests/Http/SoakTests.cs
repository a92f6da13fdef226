using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Interactions.Resilience.IntegrationTests.TestSupport;
using Interactions.Resilience.Testing;
using Xunit.Abstractions;

namespace Interactions.Resilience.IntegrationTests.Http;

/// <summary>
/// Ten thousand GETs and POSTs from 50 concurrent callers while the server fails a random few with random catalog codes
/// in random forms: nothing escapes but successes and typed exceptions, and no POST reaches the server under two keys.
/// </summary>
/// <remarks>
/// The faults come from a seeded <see cref="Random"/>: before request <c>i</c> is sent, its plan may script one
/// <see cref="InteractionsSimulator.FailNext"/>, which the next request to arrive consumes (a first attempt or a retry,
/// whichever comes first). The plans are reproducible; which request meets which fault depends on the interleaving.
/// Halt codes are left out: one would fail every request of the client for <c>HaltDuration</c>.
/// </remarks>
[Collection(SerialLoad.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Concurrency = 50;
    private const double FaultRate = 0.1;
    private const int MaxFaultsInARow = 3;
    private const int Seed = 20_261_128;

    // One first attempt, then each policy's own retries: Retry 3, WaitAndRetry 5, Cooldown 1.
    private const int MaxAttemptsPerRequest = 1 + 3 + 5 + 1;

    private static readonly InteractionsErrorCode[] FaultCodes = InteractionsErrorCatalog.All
        .Where(e => e.DefaultPolicy != InteractionsPolicy.Halt)
        .Select(e => e.Code)
        .ToArray();

    [Fact]
    public async Task SendAsync_TenThousandRequestsWithRandomFaults_EndInSuccessOrTypedException_AndNoPostIsSentUnderTwoKeys()
    {
        var plans = MakePlans();
        using var simulator = InteractionsSimulator.Start();
        using var client = new SimulatorClient(simulator.BaseAddress);
        var outcomes = new Outcome[Requests];
        var unexpected = new ConcurrentQueue<Exception>();
        var next = -1;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var plan = plans[i];
                if (plan.Fault is { } fault)
                {
                    simulator.FailNext(plan.FaultCount, fault, plan.FaultForm);
                }

                using var request = plan.IsPost
                    ? new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent($$"""{"to":"+15550100","text":"soak {{i}}"}""") }
                    : new HttpRequestMessage(HttpMethod.Get, $"v1/messages/msg_{i}");
                try
                {
                    using var response = await client.Client.SendAsync(request);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    outcomes[i] = new Outcome(KeyOf(request), null);
                }
                catch (InteractionsException ex)
                {
                    outcomes[i] = new Outcome(KeyOf(request), ex);
                }
                catch (Exception ex)
                {
                    unexpected.Enqueue(ex);
                }
            }
        })));

        clock.Stop();
        var received = simulator.Requests;
        var perKey = simulator.RequestsPerIdempotencyKey;
        var failed = outcomes.Where(o => o?.Exception is not null).ToList();
        output.WriteLine($"{Requests} requests ({plans.Count(p => p.IsPost)} POST) in {clock.Elapsed.TotalSeconds:F1} s; {plans.Where(p => p.Fault is not null).Sum(p => p.FaultCount)} faulty answers scripted");
        output.WriteLine($"server received {received.Count} ({received.Count(r => r.Answer == SimulatorAnswer.Error)} answered with an error, {simulator.RateLimitedCount} of them 030003); {failed.Count} requests failed");
        foreach (var group in failed.GroupBy(o => $"{o.Exception!.GetType().Name} {o.Exception.FormattedCode}").OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {group.Count(),4} x {group.Key}");
        }

        foreach (var ex in unexpected.Take(5))
        {
            output.WriteLine("unexpected: " + ex);
        }

        // Every request ended in a success or a typed exception.
        Assert.Empty(unexpected);
        Assert.All(outcomes, o => Assert.NotNull(o));

        // Every POST the server received carried a key; every logical POST had its own.
        var posts = Enumerable.Range(0, Requests).Where(i => plans[i].IsPost).Select(i => outcomes[i]).ToList();
        Assert.All(received.Where(r => r.Method == "POST"), r => Assert.NotNull(r.IdempotencyKey));
        Assert.All(posts, o => Assert.NotNull(o.Key));
        Assert.Equal(posts.Count, posts.Select(o => o.Key).Distinct().Count());

        // The keys the server saw are exactly those of the POSTs that reached it: none was sent under a second key.
        var reached = posts.Where(o => o.Exception is null || o.Exception.Attempts > 0).Select(o => o.Key!).ToHashSet();
        Assert.Equal(reached.Order(StringComparer.Ordinal), perKey.Keys.Order(StringComparer.Ordinal));

        // No key was sent more often than one request may be attempted; a failed POST was sent as often as it reports.
        Assert.All(perKey, pair => Assert.InRange(pair.Value, 1, MaxAttemptsPerRequest));
        Assert.All(posts.Where(o => o.Exception is not null), o => Assert.Equal(o.Exception!.Attempts, perKey.GetValueOrDefault(o.Key!)));
        Assert.All(received.Where(r => r.Method == "GET"), r => Assert.Null(r.IdempotencyKey));
    }

    private static Plan[] MakePlans()
    {
        var random = new Random(Seed);
        var forms = Enum.GetValues<InteractionsErrorForm>().Where(f => f != InteractionsErrorForm.Meta).ToArray(); // the vendor's forms: the seed keeps its plan
        var plans = new Plan[Requests];
        for (var i = 0; i < Requests; i++)
        {
            var isPost = random.Next(2) == 0;
            var fault = random.NextDouble() < FaultRate ? FaultCodes[random.Next(FaultCodes.Length)] : (InteractionsErrorCode?)null;
            plans[i] = new Plan(isPost, fault, random.Next(1, MaxFaultsInARow + 1), forms[random.Next(forms.Length)]);
        }

        return plans;
    }

    private static string? KeyOf(HttpRequestMessage request)
        => request.Headers.TryGetValues(InteractionsHeaderNames.IdempotencyKey, out var values) ? values.Single() : null;

    private sealed record Plan(bool IsPost, InteractionsErrorCode? Fault, int FaultCount, InteractionsErrorForm FaultForm);

    private sealed record Outcome(string? Key, InteractionsException? Exception);
}
