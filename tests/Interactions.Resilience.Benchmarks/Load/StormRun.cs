using System.Diagnostics;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// The rate-limit storm of the performance budgets: 50 concurrent senders × 4 sends against a server that accepts 20 a
/// second and answers the rest 429 + 030003 + <c>Retry-After</c>; the same work through ours and through a
/// patient standard handler (30 retries, breaker that does not open), on real HTTP on loopback.
/// </summary>
internal static class StormRun
{
    /// <summary>The measured storm.</summary>
    public static readonly StormShape Measured = new(Senders: 50, SendsPerSender: 4, AcceptedPerSecond: 20);

    /// <summary>
    /// A short storm on the same code paths, run once per handler before anything is measured, so that no
    /// measured run pays the JIT of the paths a rate limit takes (the first handler measured would, otherwise).
    /// </summary>
    public static readonly StormShape WarmUp = new(Senders: 10, SendsPerSender: 2, AcceptedPerSecond: 10);

    public static async Task<LoadResult> RunAsync(string name, Func<Uri, ServiceProvider> build, StormShape shape)
    {
        using var simulator = InteractionsSimulator.Start();
        await using var services = build(simulator.BaseAddress);
        var client = services.Client();
        using (await client.GetAsync("v1/warm-up").ConfigureAwait(false))
        {
        }

        simulator.Reset();
        simulator.RateLimit(shape.AcceptedPerSecond, statusCode: 429);
        var completed = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, shape.Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < shape.SendsPerSender; i++)
            {
                try
                {
                    using var response = await client.PostAsync("v1/messages", new StringContent("""{"to":"+15550100","text":"storm"}""")).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref completed);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (Polly.ExecutionRejectedException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }))).ConfigureAwait(false);
        clock.Stop();

        return new LoadResult(name, shape.Senders * shape.SendsPerSender, simulator.RequestCount, simulator.RateLimitedCount, completed, failed, clock.Elapsed);
    }
}
