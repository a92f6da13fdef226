using System.Diagnostics;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// One burst of sends: <c>senders</c> concurrent senders, each sending its share in a row, spread over the clients
/// (sender <c>i</c> uses client <c>i mod K</c>: one client, or one per instance of a fleet). Bounded by
/// <see cref="ZooWork.Deadline"/>: what is unfinished then is cancelled and counts as failed.
/// </summary>
internal static class Burst
{
    public static async Task<LoadResult> RunAsync(
        string name, InteractionsSimulator simulator, IReadOnlyList<HttpClient> clients, int senders, int sendsPerSender)
    {
        var completed = 0;
        var failed = 0;
        using var deadline = new CancellationTokenSource(ZooWork.Deadline);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            var client = clients[sender % clients.Count];
            for (var i = 0; i < sendsPerSender; i++)
            {
                try
                {
                    using var content = new StringContent($$"""{"to":"+1555010{{sender % 10}}","text":"burst"}""");
                    using var response = await client.PostAsync("v1/messages", content, deadline.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref completed : ref failed);
                }
                catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException or OperationCanceledException)
                {
                    // Ours throws InteractionsException (an HttpRequestException) once it gives up; a deadline cancels.
                    Interlocked.Increment(ref failed);
                }
            }
        }))).ConfigureAwait(false);
        clock.Stop();

        return new LoadResult(name, senders * sendsPerSender, simulator.RequestCount, simulator.RateLimitedCount, completed, failed, clock.Elapsed);
    }

    /// <summary>One request through each client, so that no measured burst pays for the first connection.</summary>
    public static async Task WarmUpAsync(IEnumerable<HttpClient> clients)
    {
        foreach (var client in clients)
        {
            using var response = await client.GetAsync("v1/warm-up").ConfigureAwait(false);
        }
    }
}
