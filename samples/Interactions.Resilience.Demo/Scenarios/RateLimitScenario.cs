using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>A burst of sends against a rate limit: the client pauses as a whole instead of each caller hammering.</summary>
internal sealed class RateLimitScenario : IScenario
{
    private const int Sends = 12;
    private const int AcceptedPerSecond = 5;

    // The simulator's Retry-After is the whole seconds left in its one-second window: 1 s here.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public string Name => "rate-limit";

    public string Summary => "12 concurrent sends against 5 per second: one shared rate-limit wait.";

    public string Description =>
        $"The server accepts {AcceptedPerSecond} requests a second and answers the rest 400 + 030003 Rate Limit Exceeded "
        + $"with Retry-After: 1. {Sends} sends start at once. WaitAndRetry policy: a 030003 pauses every request of the client "
        + "until Retry-After, and the waiting sends are then released at the pace the server accepted before the limit. "
        + "The app sees no error, only sends that took longer.";

    public async Task RunAsync(ScenarioContext context)
    {
        context.Simulator.RateLimit(AcceptedPerSecond);

        context.Status($"{Sends} concurrent sends share one rate-limit wait…");
        await Task.WhenAll(Enumerable.Range(1, Sends).Select(i =>
            context.SendAsync($"send {i}", $"+1555010{i % 10}", $"Flash sale, message {i}")));

        var result = context.Simulator;
        context.Note($"{Sends} sends delivered in {Format.Duration(context.Elapsed)}; the server answered {result.RateLimitedCount} of its "
            + $"{result.RequestCount} requests with 030003.");
        DescribeReleases(context, result.Requests);
    }

    public IEnumerable<string?> Check(ScenarioResult result)
    {
        foreach (var call in result.Calls)
        {
            yield return Expect.Success(call);
        }

        yield return result.RateLimitedCount > 0 ? null : "expected the server to rate-limit some of the first burst; it rate-limited none";

        // The shared wait: no send tried again before the Retry-After of its 030003 had passed.
        foreach (var attempts in result.Requests.GroupBy(r => r.IdempotencyKey))
        {
            foreach (var (previous, next) in attempts.Zip(attempts.Skip(1)))
            {
                var gap = next.ReceivedAt - previous.ReceivedAt;
                yield return gap >= RetryAfter - TimeSpan.FromMilliseconds(50)
                    ? null
                    : $"expected every retry to wait out Retry-After ({Format.Duration(RetryAfter)}); one came after {Format.Duration(gap)}";
            }
        }
    }

    /// <summary>Groups the retries by when they reached the server, to show how the gate released them.</summary>
    private static void DescribeReleases(ScenarioContext context, IReadOnlyList<SimulatorRequest> requests)
    {
        var seen = new HashSet<string?>();
        var retries = requests.Where(r => !seen.Add(r.IdempotencyKey)).OrderBy(r => r.ReceivedAt).ToList();
        var waves = new List<List<SimulatorRequest>>();
        foreach (var retry in retries)
        {
            if (waves.Count > 0 && retry.ReceivedAt - waves[^1][^1].ReceivedAt < TimeSpan.FromMilliseconds(50))
            {
                waves[^1].Add(retry);
            }
            else
            {
                waves.Add([retry]);
            }
        }

        var start = requests[0].ReceivedAt;
        context.Note("Retries reached the server in waves: "
            + string.Join(", ", waves.Select(w => $"{w.Count} at {Format.Seconds(w[0].ReceivedAt - start)}")) + ".");

        foreach (var wave in waves.Where(w => w.Count > AcceptedPerSecond))
        {
            context.Warn($"{wave.Count} waiting sends left the gate within {Format.Duration(wave[^1].ReceivedAt - wave[0].ReceivedAt)} of each other, "
                + $"more than the {AcceptedPerSecond} a second the server had accepted (the design releases them at that pace); "
                + $"{wave.Count(r => r.Answer == SimulatorAnswer.RateLimited)} of them met the limit again.");
        }
    }
}
