using System.Diagnostics;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// An outage: the server answers 060002 (HTTP 503) for 10 s, then recovers; 100 concurrent callers each send a
/// message every 200 ms for 12 s. Reports the attempts that reached the server per logical request.
/// </summary>
internal static class OutageRun
{
    private const int Callers = 100;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    public static async Task<LoadResult> RunAsync(string name, Func<Uri, ServiceProvider> build)
    {
        using var simulator = InteractionsSimulator.Start();
        await using var services = build(simulator.BaseAddress);
        var client = services.Client();
        using (await client.GetAsync("v1/warm-up").ConfigureAwait(false))
        {
        }

        simulator.Reset();
        simulator.Outage(Outage);
        var logical = 0;
        var completed = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < RunFor)
            {
                Interlocked.Increment(ref logical);
                try
                {
                    using var response = await client.PostAsync("v1/messages", new StringContent("""{"to":"+15550100","text":"outage"}""")).ConfigureAwait(false);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref completed : ref failed);
                }
                catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(Pause).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
        clock.Stop();

        return new LoadResult(name, logical, simulator.RequestCount, simulator.RateLimitedCount, completed, failed, clock.Elapsed);
    }
}
